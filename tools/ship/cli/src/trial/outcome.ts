/** The TrialOutcome of one trial run, pure: Nx's task results, each failed task's first error, the verdict. */
import type { TrialOutcome, TrialTask } from '@bllvm/orchestrator';
import type { TaskOutcome } from '../run-targets';
import { firstErrorLine, taskBlocks } from './first-error';

export interface TrialFacts {
  component: string;
  repository: string;
  ref: string;
  headSha: string;
  pullRequest?: number;
  graph: TrialOutcome['graph'];
  wallMs: number;
}

const STATUS: Record<TaskOutcome['status'], TrialTask['status']> = { built: 'built', cached: 'cache-hit', failed: 'failed', skipped: 'skipped' };

export function trialOutcome(facts: TrialFacts, tasks: readonly TaskOutcome[], output: string): TrialOutcome {
  const blocks = taskBlocks(output);
  const trialTasks = tasks.map((t): TrialTask => {
    const status = STATUS[t.status];
    if (status !== 'failed') return { project: t.project, target: t.target, status };
    const firstError = firstErrorLine(blocks.get(t.task) ?? []) ?? t.message?.split('\n')[0]?.slice(0, 300);
    return { project: t.project, target: t.target, status, ...(firstError ? { firstError } : {}) };
  });
  // Nothing run is no evidence: a trial passes only on tasks that passed.
  const passed = trialTasks.length > 0 && trialTasks.every((t) => t.status === 'built' || t.status === 'cache-hit');
  return {
    component: facts.component,
    repository: facts.repository,
    ref: facts.ref,
    headSha: facts.headSha,
    ...(facts.pullRequest !== undefined ? { pullRequest: facts.pullRequest } : {}),
    conclusion: passed ? 'success' : 'failure',
    tasks: trialTasks,
    graph: facts.graph,
    wallMs: facts.wallMs,
  };
}
