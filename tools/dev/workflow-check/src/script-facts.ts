import { failureLosesNothing, invoked, writesFile } from './commands';
import type { RunScript } from './run-script';
import { type Command, type Pipeline, type SimpleCommand, simpleCommandsOf, wordTexts } from './shell';

// What the failure rules ask of a parsed run script: which shell options hold at a point, which
// commands' failures matter, and whether the script looks at an outcome it let pass.

/** errexit and pipefail at an offset: the step's shell, then every `set` before it in the script. */
export function optionsAt(script: RunScript, offset: number): { errexit: boolean; pipefail: boolean } {
  let { errexit, pipefail } = script.shell;
  for (const cmd of script.parsed?.commands ?? []) {
    if (cmd.start >= offset) break;
    const words = wordTexts(cmd);
    if (cmd.depth > 0 || words[0] !== 'set') continue;
    for (let i = 1; i < words.length; i++) {
      const w = words[i]!;
      const on = w.startsWith('-');
      if (!/^[-+][A-Za-z]+$/.test(w)) continue;
      if (w.includes('e')) errexit = on;
      if (w.includes('o') && words[i + 1] === 'pipefail') pipefail = on;
      if (w === '-o' || w === '+o') {
        if (words[i + 1] === 'errexit') errexit = on;
        i++;
      }
    }
  }
  return { errexit, pipefail };
}

/** `|| true`, `|| :` and `|| exit 0`: a pipeline that turns any failure before it into success. */
export function isSwallow(p: Pipeline): boolean {
  if (p.commands.length !== 1 || p.negated) return false;
  const c = p.commands[0]!;
  if (c.kind !== 'simple' || c.assignments.length || c.redirects.length) return false;
  const words = wordTexts(c);
  return (words.length === 1 && ['true', ':', '/bin/true'].includes(words[0]!)) || (words.length === 2 && words[0] === 'exit' && words[1] === '0');
}

/** Whether a failure of this command would lose something: not cleanup, an answer or a report. */
export function failureMatters(c: Command): boolean {
  if (c.kind === 'compound') return c.inner.some(failureMatters);
  const inv = invoked(c);
  return inv !== undefined && !failureLosesNothing(inv, writesFile(c));
}

/** The command as written, on one line and short enough for a message. */
export function describe(script: RunScript, c: Command): string {
  const text = script.text.slice(c.start, c.end).replace(/\s+/g, ' ').trim();
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Whether the command right after a pipeline reads PIPESTATUS, the one place bash keeps every exit status of it. */
export function readsPipestatus(script: RunScript, p: Pipeline): boolean {
  const next = script.parsed?.commands.find((c) => c.start >= p.end && c.depth <= p.depth);
  return next !== undefined && script.text.slice(next.start, next.end).includes('PIPESTATUS');
}

/**
 * Whether the script looks at the outcome of something it let fail: the variable a `$(… || true)`
 * was assigned to, or a file the commands wrote, is tested later (`[ -z "$out" ]`, `if grep -q …
 * out.log`, `case "$out"`, `${out:?}`), or the substitution itself sits in a test.
 */
export function outcomeChecked(script: RunScript, swallow: Pipeline, swallowed: Pipeline[]): boolean {
  const parsed = script.parsed!;
  const owner = swallow.owner;
  if (swallow.depth > 0 && owner && (isTest(owner) || owner.inCondition)) return true;
  const names: string[] = [];
  if (swallow.depth > 0 && swallow.assignedTo) names.push(swallow.assignedTo);
  const files = swallowed.flatMap(simpleCommandsOf).flatMap(writtenFiles);
  if (!names.length && !files.length) return false;
  const after = swallow.depth > 0 && owner ? owner.end : swallow.end;
  // Commands whose status the script acts on: tests, conditions, the left of && or || (not of a swallow).
  const testing = new Set<SimpleCommand>();
  for (const p of parsed.pipelines) if (p.inCondition || (p.after && !isSwallow(p.after.pipeline))) for (const c of simpleCommandsOf(p)) testing.add(c);
  const reads = (c: SimpleCommand) => [...c.assignments.map((a) => a.value.raw), ...c.words.map((w) => w.raw), ...c.redirects.filter((r) => r.op === '<' && r.target).map((r) => r.target!.raw)].join(' ');
  const mentions = (text: string) => names.some((n) => new RegExp(`\\$\\{?${n}\\b`).test(text)) || files.some((f) => text.includes(f));
  for (const c of parsed.commands) {
    if (c.start < after) continue;
    if ((isTest(c) || testing.has(c) || c.inCondition) && mentions(reads(c))) return true;
  }
  const rest = script.text.slice(after);
  return names.some((n) => new RegExp(`case\\s+"?\\$\\{?${n}\\b|\\$\\{${n}:?\\?`).test(rest));
}

function isTest(c: SimpleCommand): boolean {
  const name = invoked(c)?.name;
  return name === '[' || name === '[[' || name === 'test';
}

/** Files a command writes its output to: redirect targets and tee's arguments. */
function writtenFiles(c: SimpleCommand): string[] {
  const targets = c.redirects.filter((r) => ['>', '>>', '>|', '&>', '&>>'].includes(r.op) && r.target).map((r) => r.target!.text);
  const inv = invoked(c);
  if (inv?.name === 'tee') targets.push(...inv.args.filter((a) => !a.startsWith('-')));
  return targets.filter((t) => !/^\/dev\//.test(t) && !/GITHUB_(?:STEP_SUMMARY|OUTPUT|ENV)/.test(t));
}
