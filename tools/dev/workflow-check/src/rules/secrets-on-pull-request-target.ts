import { finding, type Rule } from '../rule';
import { get, jobs, sourceOf, triggers } from '../workflow-file';

const USES_SECRETS = /\bsecrets\s*[.[]|\bsecrets:\s*inherit\b/;

export const secretsOnPullRequestTarget: Rule = {
  id: 'secrets-on-pull-request-target',
  why: 'pull_request_target runs with the base repository secrets for a pull request anyone can open',
  check(wf) {
    if (!triggers(wf).has('pull_request_target')) return [];
    const findings = [];
    const env = get(wf.doc.contents, 'env');
    const fix = 'trigger on pull_request, which gets no secrets, or keep pull_request_target and move what needs the secret to a workflow_run workflow that never checks out the pull request';
    const firstUse = (src: { text: string; offset: number }) => wf.positionAt(src.offset + USES_SECRETS.exec(src.text)!.index);
    const envSrc = env ? sourceOf(wf, env) : undefined;
    if (envSrc && USES_SECRETS.test(envSrc.text)) findings.push(finding(wf, this.id, firstUse(envSrc), 'workflow-level env reads secrets in a workflow run on pull_request_target', fix));
    for (const job of jobs(wf)) {
      const src = job.node ? sourceOf(wf, job.node) : undefined;
      if (src && USES_SECRETS.test(src.text)) findings.push(finding(wf, this.id, firstUse(src), `job "${job.id}" uses secrets in a workflow run on pull_request_target`, fix));
    }
    return findings;
  },
};
