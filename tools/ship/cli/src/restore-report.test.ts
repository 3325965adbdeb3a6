import { describe, expect, it } from 'vitest';
import { missingFromCache, restoreSummary } from './restore-report';

const t = (id: string, status: 'local-cache' | 'remote-cache' | 'missing', runnerClass?: string) => {
  const [project, target] = id.split(':') as [string, string];
  return { id, project, target, hash: '1234', status, ...(runnerClass ? { runnerClass } : {}) };
};

describe('missingFromCache', () => {
  it('names each missing task and the job of its class', () => {
    expect(missingFromCache([t('bllvm-node:build', 'missing', 'builds'), t('a:build', 'local-cache', 'builds'), t('c:verify', 'missing', 'perf'), t('x:odd', 'missing')])).toEqual([
      'bllvm-node:build (builds) is not in the shared cache; rerun the builds job',
      'c:verify (perf) is not in the shared cache; rerun the perf job',
      'x:odd (no runner class) is not in the shared cache; give it a runner class and rerun its job',
    ]);
    expect(missingFromCache([t('a:build', 'remote-cache', 'builds')])).toEqual([]);
  });

  it('counts where the outputs came from', () => {
    expect(restoreSummary([t('a:build', 'local-cache'), t('b:build', 'remote-cache'), t('c:build', 'remote-cache')])).toBe('3 task(s) restored: 1 from the local cache, 2 from the remote cache');
  });
});
