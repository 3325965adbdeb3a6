import type { RestoredTask } from './nx-runner/protocol';

/**
 * What a restore says: the tasks missing from the cache, each with the runner class whose job
 * makes it, or none. Pure.
 */
export function missingFromCache(tasks: readonly RestoredTask[]): string[] {
  return tasks
    .filter((t) => t.status === 'missing')
    .map((t) => {
      const cls = typeof t.runnerClass === 'string' ? t.runnerClass : undefined;
      return cls
        ? `${t.id} (${cls}) is not in the shared cache; rerun the ${cls} job`
        : `${t.id} (no runner class) is not in the shared cache; give it a runner class and rerun its job`;
    });
}

/** `3 restored: 2 from the local cache, 1 from the remote cache`. Pure. */
export function restoreSummary(tasks: readonly RestoredTask[]): string {
  const local = tasks.filter((t) => t.status === 'local-cache').length;
  const remote = tasks.filter((t) => t.status === 'remote-cache').length;
  return `${local + remote} task(s) restored: ${local} from the local cache, ${remote} from the remote cache`;
}
