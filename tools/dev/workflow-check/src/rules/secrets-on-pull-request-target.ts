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
    const envText = env ? sourceOf(wf, env)?.text : undefined;
    if (envText && USES_SECRETS.test(envText)) findings.push(finding(wf, this.id, wf.lineOf(env), 'workflow-level env reads secrets in a workflow run on pull_request_target'));
    for (const job of jobs(wf)) {
      const text = job.node ? sourceOf(wf, job.node)?.text : undefined;
      if (text && USES_SECRETS.test(text)) findings.push(finding(wf, this.id, wf.lineOf(job.idNode), `job "${job.id}" uses secrets in a workflow run on pull_request_target`));
    }
    return findings;
  },
};
