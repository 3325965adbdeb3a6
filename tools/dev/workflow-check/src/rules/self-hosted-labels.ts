import { isScalar } from 'yaml';
import { finding, type Rule } from '../rule';
import { get, jobs, seqItems } from '../workflow-file';

/** Labels every self-hosted job names, so it cannot land on a runner of another OS or architecture. */
const REQUIRED = ['self-hosted', 'Linux', 'X64'];

export const selfHostedLabels: Rule = {
  id: 'self-hosted-labels',
  why: 'runner labels are matched exactly and all must match; self-hosted alone could pick any machine',
  check(wf) {
    return jobs(wf).flatMap((job) => {
      const runsOn = get(job.node, 'runs-on');
      // runs-on: x | [x, y] | { group, labels }
      const labelsNode = get(runsOn, 'labels') ?? runsOn;
      const labels = isScalar(labelsNode) ? [String(labelsNode.value)] : seqItems(labelsNode).flatMap((n) => (isScalar(n) ? [String(n.value)] : []));
      if (!labels.includes('self-hosted')) return [];
      const missing = REQUIRED.filter((l) => !labels.includes(l));
      if (!missing.length) return [];
      const near = missing.filter((l) => labels.some((have) => have.toLowerCase() === l.toLowerCase()));
      const hint = near.length ? ` (labels are case-sensitive: ${near.join(', ')})` : '';
      return [finding(wf, this.id, wf.lineOf(runsOn), `self-hosted job "${job.id}" does not name ${missing.join(', ')}${hint}`)];
    });
  },
};
