import { finding, type Rule } from '../rule';
import { get, jobs, runsOnLabels, triggers } from '../workflow-file';

/** Triggers that run code from a pull request, which anyone can open. */
const PULL_REQUEST_TRIGGERS = ['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment'];

export const selfHostedOnPullRequest: Rule = {
  id: 'self-hosted-on-pull-request',
  why: "self-hosted runners keep state between jobs and run the jobs that hold release tokens; a pull request's code must never run on one",
  check(wf) {
    const on = PULL_REQUEST_TRIGGERS.filter((t) => triggers(wf).has(t));
    if (!on.length) return [];
    return jobs(wf).flatMap((job) => {
      const runsOn = get(job.node, 'runs-on');
      const labels = runsOnLabels(job);
      const group = get(runsOn, 'group');
      if (!labels.includes('self-hosted') && !group) return [];
      const where = group ? 'a runner group' : 'a self-hosted runner';
      return [
        finding(
          wf,
          this.id,
          wf.positionOf(runsOn),
          `job "${job.id}" runs on ${where} in a workflow triggered by ${on.join(', ')}; run it on a GitHub-hosted runner`,
          `runs-on: ubuntu-latest for job "${job.id}", or drop ${on.join(', ')} from the triggers if it must run on self-hosted runners`,
        ),
      ];
    });
  },
};
