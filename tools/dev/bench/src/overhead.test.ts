import { describe, expect, it } from 'vitest';
import { taskOverheads } from './overhead';

describe('taskOverheads', () => {
  const nx = [
    { task: 'a:build', startMs: 1000, endMs: 3000 },
    { task: 'b:build', startMs: 1000, endMs: 1500 },
  ];

  it('splits Nx task time into Nx around the executor, the executor outside cargo, and cargo', () => {
    expect(taskOverheads([{ task: 'a:build', status: 'built', toolMs: 1200, executorMs: 1500 }], nx)).toEqual([
      { task: 'a:build', executorMs: 300, nxMs: 500, totalMs: 800 },
    ]);
  });

  it('Nx time equal to the executor time is no Nx overhead, not a measurement of one', () => {
    // The CLI's durationMs is Nx's task time; only the record's executor time makes nxMs non-zero.
    const [o] = taskOverheads([{ task: 'b:build', status: 'built', toolMs: 100, executorMs: 400 }], nx);
    expect(o).toEqual({ task: 'b:build', executorMs: 300, nxMs: 100, totalMs: 400 });
  });

  it('skips cached tasks and tasks without an executor record; no Nx timing leaves Nx out', () => {
    const rows = taskOverheads(
      [
        { task: 'a:build', status: 'cached', executorMs: 10 },
        { task: 'b:build', status: 'built', toolMs: 100 },
        { task: 'c:build', status: 'built', executorMs: 250 },
      ],
      nx,
    );
    expect(rows).toEqual([{ task: 'c:build', executorMs: 250 }]);
  });
});
