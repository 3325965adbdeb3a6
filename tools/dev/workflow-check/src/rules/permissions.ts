import { finding, type Rule } from '../rule';
import { get, jobs, stringValue } from '../workflow-file';

export const explicitPermissions: Rule = {
  id: 'permissions',
  why: 'without a workflow-level permissions block GITHUB_TOKEN gets the repository default, which may be write-all',
  check(wf) {
    const findings = [];
    const root = get(wf.doc.contents, 'permissions');
    if (root === undefined) findings.push(finding(wf, this.id, 1, 'no workflow-level permissions: grant what the jobs need (e.g. contents: read), or {} for nothing'));
    else if (stringValue(root) === 'write-all') findings.push(finding(wf, this.id, wf.lineOf(root), 'permissions: write-all grants every scope; list the scopes the jobs need'));
    for (const job of jobs(wf)) {
      const permissions = get(job.node, 'permissions');
      if (stringValue(permissions) === 'write-all') findings.push(finding(wf, this.id, wf.lineOf(permissions), `job "${job.id}" has permissions: write-all; list the scopes it needs`));
    }
    return findings;
  },
};
