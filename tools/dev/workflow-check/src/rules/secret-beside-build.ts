import { componentCode, PUBLISH_ONLY_FLAG, secretsIn } from '../job-facts';
import { finding, type Rule } from '../rule';
import { get, jobs } from '../workflow-file';

/**
 * Component code (build scripts, proc macros, tests) is untrusted: the sandbox keeps tokens out of
 * its processes, and this keeps them out of its job, so nothing it leaves on the runner (a poisoned
 * file, a process, the environment of a later step) can reach one. Secrets are looked for in the
 * workflow-level env and anywhere in the job (job env, any step's env or with:, secrets: inherit).
 * Only commands that run component code count (job-facts.ts): `cargo publish` compiles the crate,
 * `gh release create`, `curl`, `git push` and `cargo login` do not.
 */

/** How a job that runs no component code publishes what another built. */
function publishExample(what: string): string {
  if (what === 'docker build') return 'e.g. `docker save` the image there, `docker load` and `docker push` it here';
  if (what === 'cargo' || what === 'cross') return 'e.g. `cargo publish --no-verify` from the commit the build job packaged and tested';
  return 'e.g. `gh release upload` of the artifacts';
}

export const secretBesideBuild: Rule = {
  id: 'secret-beside-build',
  why: 'a job that runs component code (build scripts, tests, proofs) must hold no token: build without secrets, publish elsewhere with --publish-only',
  check(wf, { owner }) {
    const findings = [];
    const workflowSecrets = secretsIn(wf, get(wf.doc.contents, 'env'));
    const advice =
      owner === 'orchestrator'
        ? `build in a job without secrets and publish from another with \`prerelease ${PUBLISH_ONLY_FLAG}\``
        : 'build in a job without secrets and publish from another that runs no component code';
    for (const job of jobs(wf)) {
      const code = componentCode(wf, job, owner);
      if (!code) continue;
      const where = [...workflowSecrets.map((s) => ({ ...s, scope: 'the workflow-level env' })), ...secretsIn(wf, job.node, true).map((s) => ({ ...s, scope: 'the job' }))];
      for (const s of where) {
        const fix =
          owner === 'orchestrator'
            ? `move ${s.text} out of job "${job.id}" (or "${code.command}", line ${code.line}, into a job without secrets); the job holding it runs \`prerelease ${PUBLISH_ONLY_FLAG}\`, which builds nothing`
            : `move ${s.text} out of job "${job.id}": run "${code.command}" (line ${code.line}) in a job without secrets, hand what it made over as an artifact, and publish it from a job that runs no component code (${publishExample(code.what)})`;
        findings.push(
          finding(wf, this.id, s, `job "${job.id}" runs component code (${code.what}, line ${code.line}) with ${s.text} in ${s.scope}; ${advice}`, s.scope === 'the workflow-level env' ? fix.replace(`out of job "${job.id}"`, 'out of the workflow-level env') : fix),
        );
      }
    }
    return findings;
  },
};
