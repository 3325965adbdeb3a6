import { finding, type Rule } from '../rule';
import { scriptLines } from '../script';
import { get, sourceOf, runScripts, stringValue } from '../workflow-file';

// A single `|` (not `||`) outside quotes: the exit status becomes the last command's.
const PIPE = /(^|[^|])\|(?!\|)/;

/**
 * Without an explicit `shell: bash`, GitHub runs steps as `bash -e {0}` with no pipefail, so
 * `cli build | tee -a "$GITHUB_STEP_SUMMARY"` succeeds whatever the build did. With `shell: bash`
 * (step, job or workflow `defaults.run.shell`) it runs `bash --noprofile --norc -eo pipefail {0}`.
 */
export const pipedFailure: Rule = {
  id: 'piped-failure',
  why: 'a pipeline without pipefail reports the last command, so a failed build piped into tee passes',
  check(wf) {
    const findings = [];
    const workflowShell = stringValue(get(get(get(wf.doc.contents, 'defaults'), 'run'), 'shell'));
    for (const { job, step, script } of runScripts(wf)) {
      const shell = stringValue(get(step, 'shell')) ?? stringValue(get(get(get(job.node, 'defaults'), 'run'), 'shell')) ?? workflowShell;
      if (shell === 'bash' || (shell && /pipefail/.test(shell))) continue;
      const src = sourceOf(wf, script);
      if (!src) continue;
      for (const line of scriptLines(src.text)) {
        const unquoted = line.text.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, '""');
        const m = PIPE.exec(unquoted);
        if (m) {
          findings.push(
            finding(wf, this.id, wf.lineAt(src.offset + line.offset), `job "${job.id}" pipes a command without pipefail (set shell: bash, e.g. under defaults.run); a failure before the pipe would pass`),
          );
          break;
        }
      }
    }
    return findings;
  },
};
