import { isScalar } from 'yaml';
import { finding, type Rule } from '../rule';
import { scriptLines } from '../script';
import { get, jobs, runScripts, sourceOf, steps } from '../workflow-file';

// `|| true`, `|| :` and `|| exit 0` turn any failure before them into success.
const SWALLOW = /\|\|\s*(?:true|:|exit\s+0)(?=\s|;|\)|$)/;

export const swallowedFailure: Rule = {
  id: 'swallowed-failure',
  why: 'the old orchestrator ran its proofs with `|| true`: failures must fail the run and block what needs it',
  check(wf) {
    const findings = [];
    for (const job of jobs(wf)) {
      for (const node of [job.node, ...steps(job)]) {
        const value = get(node, 'continue-on-error');
        if (value !== undefined && !(isScalar(value) && value.value === false))
          findings.push(finding(wf, this.id, wf.lineOf(value), `job "${job.id}" has continue-on-error: ${String(isScalar(value) ? value.value : value)}; a failure must fail the job`));
      }
    }
    for (const { job, script } of runScripts(wf)) {
      const src = sourceOf(wf, script);
      if (!src) continue;
      for (const line of scriptLines(src.text)) {
        const m = SWALLOW.exec(line.text);
        if (m) findings.push(finding(wf, this.id, wf.lineAt(src.offset + line.offset + m.index), `job "${job.id}" ignores a failure with "${m[0]}"`));
      }
    }
    return findings;
  },
};
