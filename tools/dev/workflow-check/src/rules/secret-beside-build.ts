import { invocationsIn } from '../invocations';
import { finding, type Rule } from '../rule';
import { argumentWords, scriptLines } from '../script';
import { get, type JobNode, jobs, runScripts, sourceOf, type WorkflowFile } from '../workflow-file';

/**
 * Component code (build scripts, proc macros, tests) is untrusted: the sandbox keeps tokens out of
 * its processes, and this keeps them out of its job, so nothing it leaves on the runner (a poisoned
 * file, a process, the environment of a later step) can reach one. Secrets are looked for in the
 * workflow-level env and anywhere in the job (job env, any step's env or with:, secrets: inherit).
 */

/**
 * The one secret allowed beside a build: the Nx remote cache's write token, and only as the
 * variable Nx itself reads. Nx passes its own environment to no build: cargo runs in the sandbox,
 * whose environment is built from an allow-list, and the docker CLI gets PATH and DOCKER_HOST
 * alone. The token can write cache entries, not releases, tags or pins.
 */
export const CACHE_WRITE_TOKEN = 'NX_CACHE_WRITE_TOKEN';
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
function componentCode(wf: WorkflowFile, job: JobNode): { what: string; line: number } | undefined {
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
function secretsIn(wf: WorkflowFile, node: Parameters<typeof sourceOf>[1] | undefined, allowCacheToken = false): { text: string; line: number }[] {
  const src = node ? sourceOf(wf, node) : undefined;
  if (!src) return [];
  const found = [];
  for (const line of scriptLines(src.text)) {
    if (allowCacheToken && ALLOWED_BESIDE_BUILD.test(line.text)) continue;
    for (const m of line.text.matchAll(SECRET)) found.push({ text: m[0].replace(/\s+/g, ' '), line: wf.lineAt(src.offset + line.offset + m.index) });
  }
  return found;
}

export const secretBesideBuild: Rule = {
  id: 'secret-beside-build',
  why: 'a job that runs component code (build scripts, tests, proofs) must hold no token: build without secrets, publish elsewhere with --publish-only',
  check(wf) {
    const findings = [];
    const workflowSecrets = secretsIn(wf, get(wf.doc.contents, 'env'));
    for (const job of jobs(wf)) {
      const code = componentCode(wf, job);
      if (!code) continue;
      const where = [...workflowSecrets.map((s) => ({ ...s, scope: 'the workflow-level env' })), ...secretsIn(wf, job.node, true).map((s) => ({ ...s, scope: 'the job' }))];
      for (const s of where)
        findings.push(
          finding(wf, this.id, s.line,
            `job "${job.id}" runs component code (${code.what}, line ${code.line}) with ${s.text} in ${s.scope}; build in a job without secrets and publish from another with \`prerelease ${PUBLISH_ONLY_FLAG}\``),
        );
    }
    return findings;
  },
};
