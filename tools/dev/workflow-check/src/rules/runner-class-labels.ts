import { RUNNER_CLASSES, RUNNER_CLASS_NAMES, isRunnerClass } from '@bllvm/manifest';
import { closest } from '../closest';
import { invocationsIn } from '../invocations';
import { finding, type Rule } from '../rule';
import { runScriptsOf } from '../run-script';
import { argumentWords, scriptLines } from '../script';
import { get, runsOnLabels } from '../workflow-file';

const FLAG = '--runner-class';

/** The value of --runner-class in a CLI command's words, if any. */
function runnerClassArg(words: string[]): string | undefined {
  for (const [i, w] of words.entries()) {
    if (w === FLAG) return words[i + 1];
    if (w.startsWith(`${FLAG}=`)) return w.slice(FLAG.length + 1);
  }
  return undefined;
}

/**
 * A job that runs `build --runner-class <c>` must run on exactly the labels of class c in
 * libs/manifest/src/runner-classes.ts: a docker task on a runner without docker fails, and a proof
 * on a small runner takes a day. The table is the one place the labels are spelled; the
 * workflows repeat them, and this holds the two equal.
 */
export const runnerClassLabels: Rule = {
  id: 'runner-class-labels',
  why: 'a class job must land on the runners of its class, as libs/manifest/src/runner-classes.ts lists them',
  check(wf) {
    const findings = [];
    for (const script of runScriptsOf(wf)) {
      const job = script.job;
      const lines = scriptLines(script.text);
      for (const inv of invocationsIn(script.text)) {
        if (inv.kind !== 'cli' || inv.command !== 'build') continue;
        const line = lines.findLast((l) => l.offset <= inv.offset)!;
        const cls = runnerClassArg(argumentWords(line.text.slice(inv.offset - line.offset)));
        if (cls === undefined) continue;
        const at = script.positionAt(inv.offset);
        if (!isRunnerClass(cls)) {
          const near = closest(cls, RUNNER_CLASS_NAMES);
          findings.push(finding(wf, this.id, at, `job "${job.id}" runs the runner class "${cls}", which is not one of ${RUNNER_CLASS_NAMES.join(', ')}`, `${FLAG} ${near ?? RUNNER_CLASS_NAMES.join('|')}`));
          continue;
        }
        const runsOn = get(job.node, 'runs-on');
        const labels = runsOnLabels(job);
        const want: readonly string[] = RUNNER_CLASSES[cls];
        const same = labels.length === want.length && want.every((l) => labels.includes(l));
        if (!same)
          findings.push(
            finding(
              wf,
              this.id,
              runsOn ? wf.positionOf(runsOn) : at,
              `job "${job.id}" runs the ${cls} tasks on [${labels.join(', ')}], but the ${cls} class runs on [${want.join(', ')}] (libs/manifest/src/runner-classes.ts)`,
              `runs-on: [${want.join(', ')}]`,
            ),
          );
      }
    }
    return findings;
  },
};
