import { readFile } from 'node:fs/promises';
import { isCommitSha, repositoryProblem } from '@bllvm/manifest';
import type { ChangelogCommit, ComponentChangelog } from './changelog';

/** A release this one follows: the orchestrator commit and the tag it published (undefined where unknown). */
export interface ReleasePointRecord {
  commit: string;
  tag?: string;
}

/**
 * What changed since the previous release, as the release set's changelog target found it in the
 * mirrors (dist/release-set/changelog/history.json). Cached and restored like any build output, so
 * the step that publishes reads this file and no mirror.
 */
export interface ReleaseHistoryRecord {
  /** The orchestrator commit it was collected for: a record of another commit is refused. */
  orchestratorCommit: string;
  /** Component -> the commit its changelog runs to: a record of other pins is refused. */
  pins: Record<string, string>;
  previous?: ReleasePointRecord;
  /** Undefined when it could not be collected: the release goes out without it (the target warned). */
  changelog?: ComponentChangelog[];
}

export function serializeReleaseHistory(r: ReleaseHistoryRecord): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const STATUSES = new Set(['new', 'unchanged', 'changed', 'diverged', 'previous-missing']);

/** Check a history record read from dist/ (it may come from a cache), naming the file and the field at fault. Pure. */
export function parseReleaseHistory(json: unknown, file: string): ReleaseHistoryRecord {
  const bad = (field: string, v: unknown, want: string): never => {
    throw new Error(`${file}: ${field} must be ${want}, got ${JSON.stringify(v)?.slice(0, 80)}`);
  };
  const sha = (field: string, v: unknown): string => (typeof v === 'string' && isCommitSha(v) ? v : bad(field, v, '40 lowercase hex'));
  const str = (field: string, v: unknown): string => (typeof v === 'string' ? v : bad(field, v, 'a string'));
  if (!isObj(json)) return bad('the record', json, 'an object');
  const orchestratorCommit = sha('orchestratorCommit', json.orchestratorCommit);
  if (!isObj(json.pins)) return bad('pins', json.pins, 'an object');
  const pins: Record<string, string> = {};
  for (const [c, v] of Object.entries(json.pins)) pins[c] = sha(`pins.${c}`, v);
  let previous: ReleasePointRecord | undefined;
  if (json.previous !== undefined) {
    if (!isObj(json.previous)) return bad('previous', json.previous, 'an object');
    previous = { commit: sha('previous.commit', json.previous.commit), ...(json.previous.tag !== undefined ? { tag: str('previous.tag', json.previous.tag) } : {}) };
  }
  let changelog: ComponentChangelog[] | undefined;
  if (json.changelog !== undefined) {
    if (!Array.isArray(json.changelog)) return bad('changelog', json.changelog, 'an array');
    changelog = json.changelog.map((e: unknown, i) => parseEntry(e, `changelog[${i}]`, { bad, sha, str }));
  }
  return { orchestratorCommit, pins, ...(previous ? { previous } : {}), ...(changelog ? { changelog } : {}) };
}

function parseEntry(
  e: unknown,
  at: string,
  f: { bad: (field: string, v: unknown, want: string) => never; sha: (field: string, v: unknown) => string; str: (field: string, v: unknown) => string },
): ComponentChangelog {
  if (!isObj(e)) return f.bad(at, e, 'an object');
  const status = e.status;
  if (typeof status !== 'string' || !STATUSES.has(status)) return f.bad(`${at}.status`, status, [...STATUSES].join(' | '));
  const repository = f.str(`${at}.repository`, e.repository);
  if (repositoryProblem(repository)) return f.bad(`${at}.repository`, repository, 'owner/name');
  const base = { component: f.str(`${at}.component`, e.component), repository, current: f.sha(`${at}.current`, e.current) };
  if (status === 'new') return { ...base, status };
  const previous = f.sha(`${at}.previous`, e.previous);
  if (status !== 'changed') return { ...base, status: status as 'unchanged' | 'diverged' | 'previous-missing', previous };
  if (!Array.isArray(e.commits)) return f.bad(`${at}.commits`, e.commits, 'an array');
  const commits: ChangelogCommit[] = e.commits.map((c: unknown, i) => {
    if (!isObj(c)) return f.bad(`${at}.commits[${i}]`, c, 'an object');
    return { sha: f.sha(`${at}.commits[${i}].sha`, c.sha), subject: f.str(`${at}.commits[${i}].subject`, c.subject), author: f.str(`${at}.commits[${i}].author`, c.author) };
  });
  return { ...base, status, previous, commits };
}

/** Read and check dist/release-set/changelog/history.json; a missing file says which target makes it. */
export async function readReleaseHistory(file: string, makeCommand: string): Promise<ReleaseHistoryRecord> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`${file} is missing (${(e as NodeJS.ErrnoException).code ?? String(e)}); make it first with \`${makeCommand}\``);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  return parseReleaseHistory(json, file);
}
