import { isMap, type Node } from 'yaml';
import { componentCodeIn, invoked } from './commands';
import { invocationsIn } from './invocations';
import type { RuleContext } from './rule';
import { runScriptsOf } from './run-script';
import { argumentWords, scriptLines } from './script';
import { get, type JobNode, mapEntries, runsOnLabels, sourceOf, stringValue, type WorkflowFile } from './workflow-file';

// What the rules that keep tokens away from component code need to know of a job: whether it runs
// component code, which secrets it holds, what its job token may write, which runners can take it.

/**
 * The one secret allowed beside a build: the Nx remote cache's write token, and only as the
 * variable Nx itself reads. Nx passes its own environment to no build: cargo runs in the sandbox,
 * whose environment is built from an allow-list, and the docker CLI gets PATH and DOCKER_HOST
 * alone. The token can write cache entries, not releases, tags or pins.
 */
export const CACHE_WRITE_TOKEN = 'NX_CACHE_WRITE_TOKEN';
/** The cache's read token: it restores outputs, it cannot write anything. */
export const CACHE_READ_TOKEN = 'NX_CACHE_READ_TOKEN';
const ALLOWED_BESIDE_BUILD = new RegExp(`^\\s*NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN:\\s*\\$\\{\\{\\s*secrets\\.${CACHE_WRITE_TOKEN}\\s*\\}\\}\\s*$`);

/** The CLI flag that makes a release verb publish what dist/ holds and build nothing. */
export const PUBLISH_ONLY_FLAG = '--publish-only';

// CLI commands that build, test or verify the components (the release verbs unless publish-only).
const BUILDING_COMMANDS = new Set(['build']);
const RELEASE_VERBS = new Set(['nightly', 'prerelease', 'release']);
// Nx targets that run a component's build scripts, tests or proofs.
const BUILDING_TARGETS = new Set(['build', 'compile', 'test', 'verify']);
// A secret, the job token, or every secret handed to a called workflow.
const SECRET = /\bsecrets\s*(?:\.\s*[A-Za-z_][\w-]*|\[[^\]]*\])|\bgithub\s*\.\s*token\b|\bsecrets:\s*inherit\b/g;

/** What in a job runs component code: a description, where it is, and the command as written. */
export interface ComponentCode {
  what: string;
  line: number;
  column: number;
  command: string;
}

/** The first thing in the job that runs component code; undefined when nothing does. */
export function componentCode(wf: WorkflowFile, job: JobNode, owner: RuleContext['owner']): ComponentCode | undefined {
  for (const script of runScriptsOf(wf)) {
    if (script.job.id !== job.id) continue;
    const found: { offset: number; what: string; end: number }[] = [];
    const commands = script.parsed?.commands ?? [];
    const lines = scriptLines(script.text);
    for (const inv of invocationsIn(script.text)) {
      const line = lines.findLast((l) => l.offset <= inv.offset)!;
      // Named from the shell command that starts the CLI (node …, npx …), where there is one.
      const cmd = commands.findLast((c) => c.start <= inv.offset && inv.offset < c.end);
      const start = cmd?.start ?? inv.offset;
      const end = cmd?.end ?? line.offset + line.text.length;
      if (inv.kind === 'cli') {
        const words = argumentWords(line.text.slice(inv.offset - line.offset));
        if (BUILDING_COMMANDS.has(inv.command)) found.push({ offset: start, what: `CLI ${inv.command}`, end });
        else if (RELEASE_VERBS.has(inv.command) && !words.includes(PUBLISH_ONLY_FLAG)) found.push({ offset: start, what: `CLI ${inv.command} without ${PUBLISH_ONLY_FLAG}`, end });
      } else if (inv.kind === 'nx-target' && BUILDING_TARGETS.has(inv.target)) {
        found.push({ offset: start, what: `nx target ${inv.project ? `${inv.project}:` : ''}${inv.target}`, end });
      }
    }
    for (const cmd of commands) {
      const inv = invoked(cmd);
      const what = inv && componentCodeIn(inv, owner);
      if (what) found.push({ offset: cmd.words[0]!.start, what, end: cmd.end });
    }
    const first = found.sort((a, b) => a.offset - b.offset)[0];
    if (first) {
      const at = script.positionAt(first.offset);
      return { what: first.what, ...at, command: script.text.slice(first.offset, first.end).replace(/\s+/g, ' ').trim() };
    }
  }
  return undefined;
}

/** Secrets in a node's source, skipping whole-line comments (which say why, and name secrets). */
export function secretsIn(wf: WorkflowFile, node: Node | undefined, allowCacheToken = false): { text: string; line: number; column: number }[] {
  const src = node ? sourceOf(wf, node) : undefined;
  if (!src) return [];
  const found = [];
  for (const line of scriptLines(src.text)) {
    if (allowCacheToken && ALLOWED_BESIDE_BUILD.test(line.text)) continue;
    for (const m of line.text.matchAll(SECRET)) found.push({ text: m[0].replace(/\s+/g, ' '), ...wf.positionAt(src.offset + line.offset + m.index) });
  }
  return found;
}

/** The permission scopes a job's token may write (`*` for write-all), from the job or else the workflow; undefined when neither says. */
export function writeScopes(wf: WorkflowFile, job: JobNode): { scopes: string[]; line: number; column: number } | undefined {
  const own = get(job.node, 'permissions');
  const node = own ?? get(wf.doc.contents, 'permissions');
  if (node === undefined) return undefined;
  const at = wf.positionOf(node);
  if (stringValue(node) === 'write-all') return { scopes: ['*'], ...at };
  if (!isMap(node)) return { scopes: [], ...at };
  return { scopes: mapEntries(node).filter((e) => stringValue(e.value) === 'write').map((e) => e.key), ...at };
}

/** The runners a job asks for: its labels, its runner group, and whether an expression decides them. */
export interface RunnerRequest {
  labels: string[];
  group?: string;
  /** An expression in runs-on: the labels are known only at run time. */
  dynamic: boolean;
  /** Only GitHub-hosted image labels: a fresh machine per job, never shared. */
  githubHosted: boolean;
  line: number;
  column: number;
}

/** GitHub's own images; a job that names only these gets a fresh virtual machine. */
const GITHUB_HOSTED = /^(ubuntu|windows|macos)-[\w.-]+$/;

export function runnerRequest(wf: WorkflowFile, job: JobNode): RunnerRequest {
  const runsOn = get(job.node, 'runs-on');
  const labels = runsOnLabels(job);
  const group = stringValue(get(runsOn, 'group'));
  const dynamic = [...labels, group ?? ''].some((l) => l.includes('${{'));
  const githubHosted = !group && labels.length > 0 && labels.every((l) => GITHUB_HOSTED.test(l));
  return { labels, ...(group !== undefined ? { group } : {}), dynamic, githubHosted, ...wf.positionOf(runsOn ?? job.idNode) };
}
