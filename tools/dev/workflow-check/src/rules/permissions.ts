import { finding, type Rule } from '../rule';
import { get, jobs, stringValue } from '../workflow-file';

export const explicitPermissions: Rule = {
  id: 'permissions',
  why: 'without a workflow-level permissions block GITHUB_TOKEN gets the repository default, which may be write-all',
  check(wf) {
    const findings = [];
    const root = get(wf.doc.contents, 'permissions');
    if (root === undefined)
      findings.push(
        finding(wf, this.id, { line: 1, column: 1 }, 'no workflow-level permissions: grant what the jobs need (e.g. contents: read), or {} for nothing', 'add at the top level "permissions: { contents: read }" (or "permissions: {}"), and grant a job more under its own permissions:'),
      );
    else if (stringValue(root) === 'write-all')
      findings.push(finding(wf, this.id, wf.positionOf(root), 'permissions: write-all grants every scope; list the scopes the jobs need', 'replace it with "permissions: { contents: read }" and grant writes per job (e.g. contents: write on the job that tags)'));
    for (const job of jobs(wf)) {
      const permissions = get(job.node, 'permissions');
      if (stringValue(permissions) === 'write-all')
        findings.push(finding(wf, this.id, wf.positionOf(permissions), `job "${job.id}" has permissions: write-all; list the scopes it needs`, `replace it with the scopes job "${job.id}" writes, e.g. "permissions: { contents: write }"`));
    }
    return findings;
  },
};
