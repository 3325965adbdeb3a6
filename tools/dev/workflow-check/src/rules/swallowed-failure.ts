import { isScalar } from 'yaml';
import { finding, type Rule } from '../rule';
import { runScriptsOf } from '../run-script';
import { describe, failureMatters, isSwallow, outcomeChecked } from '../script-facts';
import { type Pipeline, simpleCommandsOf } from '../shell';
import { get, jobs, steps } from '../workflow-file';

/**
 * `|| true`, `|| :` and `|| exit 0` turn any failure before them into success. Not a finding when
 * nothing is lost by it: every command it covers is cleanup of what may not be there (`rm -f`,
 * `git branch -D`, `docker rm`), a command whose status is an answer (`grep`, `diff`, `[`), or a
 * report; nor when the script looks at the outcome itself (`out=$(cmd || true)` and then
 * `[ -z "$out" ] && exit 1`, or a log the command wrote that a later test reads).
 */
export const swallowedFailure: Rule = {
  id: 'swallowed-failure',
  why: 'the old orchestrator ran its proofs with `|| true`: failures must fail the run and block what needs it',
  check(wf) {
    const findings = [];
    for (const job of jobs(wf)) {
      for (const node of [job.node, ...steps(job)]) {
        const value = get(node, 'continue-on-error');
        if (value !== undefined && !(isScalar(value) && value.value === false))
          findings.push(
            finding(
              wf,
              this.id,
              wf.positionOf(value),
              `job "${job.id}" has continue-on-error: ${String(isScalar(value) ? value.value : value)}; a failure must fail the job`,
              node === job.node
                ? `delete continue-on-error from job "${job.id}"; if the job is advisory, let no job that releases need it`
                : 'delete continue-on-error from the step; if the check is advisory, run it in a job of its own that no job that releases needs',
            ),
          );
      }
    }
    for (const script of runScriptsOf(wf)) {
      for (const p of script.parsed?.pipelines ?? []) {
        if (p.before?.op !== '||' || !isSwallow(p)) continue;
        const swallowed = covered(p);
        const lost = swallowed.flatMap(simpleCommandsOf).find(failureMatters);
        if (!lost || outcomeChecked(script, p, swallowed)) continue;
        const swallow = script.text.slice(p.before.at, p.end).replace(/\s+/g, ' ');
        findings.push(
          finding(
            wf,
            this.id,
            script.positionAt(p.before.at),
            `job "${script.job.id}" ignores a failure with "${swallow}"`,
            `delete "${swallow}" so a failure of "${describe(script, lost)}" fails the step; if one failure is expected (it already exists, nothing to commit), test for that case and exit 1 on any other`,
          ),
        );
      }
    }
    return findings;
  },
};

/** The pipelines whose failure reaches the swallow: the one before its `||`, and those joined to that by `&&`. */
function covered(swallow: Pipeline): Pipeline[] {
  const found: Pipeline[] = [];
  let link = swallow.before;
  while (link) {
    found.unshift(link.pipeline);
    link = link.pipeline.before?.op === '&&' ? link.pipeline.before : undefined;
  }
  return found;
}
