import { componentCode, PUBLISH_ONLY_FLAG, secretsIn } from '../job-facts';
import { finding, type Rule } from '../rule';
import { get, jobs } from '../workflow-file';

/**
 * Component code (build scripts, proc macros, tests) is untrusted: the sandbox keeps tokens out of
 * its processes, and this keeps them out of its job, so nothing it leaves on the runner (a poisoned
 * file, a process, the environment of a later step) can reach one. Secrets are looked for in the
 * workflow-level env and anywhere in the job (job env, any step's env or with:, secrets: inherit).
 */

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
