import type { Verdict } from '@bllvm/orchestrator';
import type { CommitInfo } from '@bllvm/sources';

/** One state a bisection built. */
export interface Probe {
  phase: 'ends' | 'pins' | 'split' | 'commits';
  state: string;
  verdict: Verdict;
  reason: string;
  /** Tasks Nx ran, and tasks it took from the cache (components the state did not change). */
  built: number;
  cached: number;
  wallMs: number;
  /** The --run command's exit where it judged this state (it runs only where the target passed). */
  commandExit?: number;
}

export interface BisectReport {
  /** `component:target`, the task bisected. */
  task: string;
  /** The --run command that judged the states (`sh -c <command>` in the task's build sandbox), if one did. */
  command?: string;
  good: string;
  bad: string;
  /** Commits of this repository between the ends that moved a pin. */
  steps: number;
  firstBadStep?: { commit: string; subject: string };
  lastGoodStep?: { commit: string; subject: string };
  /** The first bad commit of a component repository, and the last good one before it. */
  culprit?: { component: string; repository: string; commit: CommitInfo; link: string; lastGood: CommitInfo };
  /** The component the search narrowed to, when it could not name a single commit of it. */
  culpritComponent?: string;
  /** Why the search stopped short of one commit (skips, a failure that comes and goes, a rename). */
  unresolved?: string;
  skipped: Probe[];
  /** The tail of the output of the run that showed the failure. */
  failure: string;
  probes: Probe[];
  builds: number;
  /** The most builds the search may take when nothing is skipped. */
  bound: number;
  cacheHits: number;
  wallMs: number;
}

/** The report as a maintainer reads it after a failed nightly. Pure. */
export function renderReport(r: BisectReport): string[] {
  const lines: string[] = [];
  if (r.culprit) {
    const c = r.culprit;
    lines.push(`first bad: ${c.component} ${c.commit.sha.slice(0, 12)} "${c.commit.subject}" by ${c.commit.author} (${c.commit.date})`);
    lines.push(`           ${c.link}`);
    lines.push(`last good: ${c.lastGood.sha.slice(0, 12)} "${c.lastGood.subject}"`);
  } else if (r.unresolved) {
    lines.push(`not narrowed to one commit: ${r.unresolved}`);
    if (r.culpritComponent) lines.push(`the failure follows ${r.culpritComponent}'s pin`);
  }
  if (r.firstBadStep) lines.push(`first bad pin move: ${r.firstBadStep.commit.slice(0, 12)} "${r.firstBadStep.subject}" (after ${r.lastGoodStep?.commit.slice(0, 12)} "${r.lastGoodStep?.subject}")`);
  lines.push(`task: ${r.task}; ${r.steps} pin-moving commits between ${r.good.slice(0, 12)} and ${r.bad.slice(0, 12)}`);
  if (r.command !== undefined) {
    const judged = r.probes.filter((p) => p.commandExit !== undefined).length;
    lines.push(`judged by: sh -c ${JSON.stringify(r.command)} in ${r.task.split(':')[0]}'s build sandbox, in ${judged} of ${r.probes.length} states (the others: the target did not pass)`);
  }
  lines.push(`builds: ${r.builds} (bound ${r.bound}), ${r.cacheHits} tasks from the cache, ${(r.wallMs / 1000).toFixed(1)}s`);
  for (const p of r.probes) lines.push(`  ${p.verdict.padEnd(4)} ${p.state}: ${p.built} built, ${p.cached} cached, ${(p.wallMs / 1000).toFixed(1)}s${p.commandExit === undefined ? '' : `, command exit ${p.commandExit}`}`);
  for (const s of r.skipped) lines.push(`skipped: ${s.state}: ${s.reason}`);
  if (r.failure) lines.push('', r.command === undefined ? `output of the failing ${r.task}:` : 'output of the command where it said bad:', ...r.failure.split('\n').map((l) => `  ${l}`));
  return lines;
}
