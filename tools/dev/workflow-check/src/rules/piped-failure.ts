import { finding, type Rule } from '../rule';
import { runScriptsOf, type RunScript } from '../run-script';
import { describe, failureMatters, isSwallow, optionsAt, readsPipestatus } from '../script-facts';

/**
 * Without an explicit `shell: bash`, GitHub runs steps as `bash -e {0}` with no pipefail, so
 * `cargo test | tee test.log` succeeds whatever the tests did. With `shell: bash` (step, job or
 * workflow `defaults.run.shell`) it runs `bash --noprofile --norc -eo pipefail {0}`.
 *
 * Only pipelines whose status decides the step count: not one inside `$( )` or a `[ ]` test, not
 * a condition (if/while, the left of `&&`/`||`, `!`), which the script tests on purpose, not one
 * whose status bash keeps in PIPESTATUS for the next command, and not one where only commands that
 * cannot lose anything stand before the last pipe (`echo "$json" | jq`, `grep x f | wc -l`).
 */
export const pipedFailure: Rule = {
  id: 'piped-failure',
  why: 'a pipeline without pipefail reports the last command, so a failed build piped into tee passes',
  check(wf) {
    const findings = [];
    for (const script of runScriptsOf(wf)) {
      for (const p of script.parsed?.pipelines ?? []) {
        if (p.commands.length < 2 || p.depth > 0 || p.inCondition || p.negated) continue;
        // `a | b && c` does not stop the step either way; `a | b || true` is swallowed-failure's.
        if (p.after && (p.after.op === '&&' || isSwallow(p.after.pipeline))) continue;
        const options = optionsAt(script, p.start);
        if (!options.errexit || options.pipefail) continue;
        const lost = p.commands.slice(0, -1).find(failureMatters);
        if (!lost || readsPipestatus(script, p)) continue;
        const last = p.commands[p.commands.length - 1]!;
        findings.push(
          finding(
            wf,
            this.id,
            script.positionAt(lost.start),
            `job "${script.job.id}" pipes a command without pipefail: a failure of "${describe(script, lost)}" is lost, the step takes the status of "${describe(script, last)}"`,
            fixFor(script, p.start),
          ),
        );
      }
    }
    return findings;
  },
};

function fixFor(script: RunScript, offset: number): string {
  const line = script.positionAt(offset).line;
  if (!script.shell.explicit) return `add "shell: bash" to the step (or "defaults: { run: { shell: bash } }" to the workflow), which runs the script with -eo pipefail; or put "set -o pipefail" before line ${line}`;
  if (script.shell.name === 'sh') return 'use "shell: bash", which runs the script with -eo pipefail (sh has no pipefail)';
  return `add -o pipefail to "shell: ${script.shell.name}", or put "set -o pipefail" before line ${line}`;
}
