/**
 * What one bisection build says about its state, pure. Only the task being bisected decides: a
 * state where it fails is bad, where it passes is good. A state where it could not run, or where
 * the component does not even build (bisecting its tests, say), tells nothing about this failure
 * and is skipped, as `git bisect skip` would be.
 */
import type { Verdict } from '@bllvm/orchestrator';
import type { TaskOutcome } from '../run-targets';

export interface Judgement {
  verdict: Verdict;
  /** One line: why (the task that failed first, or the wanted task's result). */
  reason: string;
}

/** The tasks to run for a probe: the component's build first (to tell "does not build" apart), then the wanted target. */
export function probeTargets(target: string): string[] {
  return target === 'build' ? ['build'] : ['build', target];
}

export function judgeProbe(tasks: readonly TaskOutcome[], project: string, target: string): Judgement {
  const wanted = tasks.find((t) => t.project === project && t.target === target);
  const own = tasks.find((t) => t.project === project && t.target === 'build');
  const why = (t: TaskOutcome) => (t.message ? `: ${t.message.split('\n')[0]!.slice(0, 200)}` : '');
  if (target !== 'build' && own?.status === 'failed') return { verdict: 'skip', reason: `${project} does not build here${why(own)}` };
  if (wanted?.status === 'failed') return { verdict: 'bad', reason: `${wanted.task} failed${why(wanted)}` };
  if (wanted?.status === 'built' || wanted?.status === 'cached') return { verdict: 'good', reason: `${wanted.task} passed` };
  const first = tasks.find((t) => t.status === 'failed');
  return { verdict: 'skip', reason: first ? `${first.task} failed first, so ${project}:${target} did not run${why(first)}` : `${project}:${target} did not run` };
}
