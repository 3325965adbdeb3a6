import { finding, type Rule } from '../rule';
import { get, jobs, runsOnLabels } from '../workflow-file';

/** Labels every self-hosted job names, so it cannot land on a runner of another OS or architecture. */
const REQUIRED = ['self-hosted', 'Linux', 'X64'];

export const selfHostedLabels: Rule = {
  id: 'self-hosted-labels',
  why: 'runner labels are matched exactly and all must match; self-hosted alone could pick any machine',
  check(wf) {
    return jobs(wf).flatMap((job) => {
      const runsOn = get(job.node, 'runs-on');
      const labels = runsOnLabels(job);
      if (!labels.includes('self-hosted')) return [];
      const missing = REQUIRED.filter((l) => !labels.includes(l));
      if (!missing.length) return [];
      const near = missing.filter((l) => labels.some((have) => have.toLowerCase() === l.toLowerCase()));
      const hint = near.length ? ` (labels are case-sensitive: ${near.join(', ')})` : '';
      const others = labels.filter((l) => !REQUIRED.some((r) => r.toLowerCase() === l.toLowerCase()));
      return [finding(wf, this.id, wf.positionOf(runsOn), `self-hosted job "${job.id}" does not name ${missing.join(', ')}${hint}`, `runs-on: [${[...REQUIRED, ...others].join(', ')}]`)];
    });
  },
};
