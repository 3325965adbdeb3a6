import { isMap, isScalar, type Node } from 'yaml';
import { invocationsIn } from './invocations';
import { argumentWords, scriptLines } from './script';
import { get, type JobNode, mapEntries, runScripts, seqItems, sourceOf, stringValue, type WorkflowFile } from './workflow-file';

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
const CARGO = /(?<=^|[\s;&|(])cargo(?=\s|$)/;
const DOCKER_BUILD = /(?<=^|[\s;&|(])docker\s+(?:buildx\s+)?build(?=\s|$)/;
// A secret, the job token, or every secret handed to a called workflow.
const SECRET = /\bsecrets\s*(?:\.\s*[A-Za-z_][\w-]*|\[[^\]]*\])|\bgithub\s*\.\s*token\b|\bsecrets:\s*inherit\b/g;

/** What in the job runs component code, with its line; undefined when nothing does. */
export function componentCode(wf: WorkflowFile, job: JobNode): { what: string; line: number } | undefined {
  for (const { job: j, script } of runScripts(wf)) {
    if (j.id !== job.id) continue;
    const src = sourceOf(wf, script);
    if (!src) continue;
    const lines = scriptLines(src.text);
    const lineAt = (offset: number) => lines.findLast((l) => l.offset <= offset)!;
    for (const inv of invocationsIn(src.text)) {
      const at = { line: wf.lineAt(src.offset + inv.offset) };
      if (inv.kind === 'cli') {
        const line = lineAt(inv.offset);
        const words = argumentWords(line.text.slice(inv.offset - line.offset));
        if (BUILDING_COMMANDS.has(inv.command)) return { what: `CLI ${inv.command}`, ...at };
        if (RELEASE_VERBS.has(inv.command) && !words.includes(PUBLISH_ONLY_FLAG)) return { what: `CLI ${inv.command} without ${PUBLISH_ONLY_FLAG}`, ...at };
      } else if (inv.kind === 'nx-target' && BUILDING_TARGETS.has(inv.target)) {
        return { what: `nx target ${inv.project ? `${inv.project}:` : ''}${inv.target}`, ...at };
      }
    }
    for (const line of lines) {
      const m = CARGO.exec(line.text) ?? DOCKER_BUILD.exec(line.text);
      if (m) return { what: m[0].replace(/\s+/g, ' '), line: wf.lineAt(src.offset + line.offset + m.index) };
    }
  }
  return undefined;
}

/** Secrets in a node's source, skipping whole-line comments (which say why, and name secrets). */
export function secretsIn(wf: WorkflowFile, node: Node | undefined, allowCacheToken = false): { text: string; line: number }[] {
  const src = node ? sourceOf(wf, node) : undefined;
  if (!src) return [];
  const found = [];
  for (const line of scriptLines(src.text)) {
    if (allowCacheToken && ALLOWED_BESIDE_BUILD.test(line.text)) continue;
    for (const m of line.text.matchAll(SECRET)) found.push({ text: m[0].replace(/\s+/g, ' '), line: wf.lineAt(src.offset + line.offset + m.index) });
  }
  return found;
}

/** The permission scopes a job's token may write (`*` for write-all), from the job or else the workflow; undefined when neither says. */
export function writeScopes(wf: WorkflowFile, job: JobNode): { scopes: string[]; line: number } | undefined {
  const own = get(job.node, 'permissions');
  const node = own ?? get(wf.doc.contents, 'permissions');
  if (node === undefined) return undefined;
  if (stringValue(node) === 'write-all') return { scopes: ['*'], line: wf.lineOf(node) };
  if (!isMap(node)) return { scopes: [], line: wf.lineOf(node) };
  return { scopes: mapEntries(node).filter((e) => stringValue(e.value) === 'write').map((e) => e.key), line: wf.lineOf(node) };
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
}

/** GitHub's own images; a job that names only these gets a fresh virtual machine. */
const GITHUB_HOSTED = /^(ubuntu|windows|macos)-[\w.-]+$/;

export function runnerRequest(wf: WorkflowFile, job: JobNode): RunnerRequest {
  const runsOn = get(job.node, 'runs-on');
  const labelsNode = get(runsOn, 'labels') ?? (isMap(runsOn) ? undefined : runsOn);
  const labels = isScalar(labelsNode) ? [String(labelsNode.value)] : seqItems(labelsNode).flatMap((n) => (isScalar(n) ? [String(n.value)] : []));
  const group = stringValue(get(runsOn, 'group'));
  const dynamic = [...labels, group ?? ''].some((l) => l.includes('${{'));
  const githubHosted = !group && labels.length > 0 && labels.every((l) => GITHUB_HOSTED.test(l));
  return { labels, ...(group !== undefined ? { group } : {}), dynamic, githubHosted, line: runsOn ? wf.lineOf(runsOn) : wf.lineOf(job.idNode) };
}
