import { describe, expect, it } from 'vitest';
import { render } from './report';

const suite = (name: string, cases: object[]) => ({ suite: name, finishedAt: '2026-01-02T03:04:05.000Z', wallMs: 1500, cases });

describe('reliability report', () => {
  const doc = render({
    corpus: suite('corpus', [
      { group: 'versions', name: 'control: versions.toml', outcome: 'accepted' },
      { group: 'versions', name: 'a.toml', why: 'bad', outcome: 'rejected', detail: 'exit 1: a.toml: nope' },
      { group: 'events', name: 'b.json', why: 'worse', outcome: 'rejected', detail: 'exit 1: event rejected' },
      { group: 'events', name: 'c.json', why: 'worst', outcome: 'defect', detail: 'it crashed. Observed: exit 1: boom | bang' },
    ]),
    faults: suite('faults', [
      { group: 'git', name: 'remote gone', outcome: 'failed-cleanly', detail: 'named it' },
      { group: 'git', name: 'remote gone (rerun)', outcome: 'converged' },
      { group: 'cargo', name: 'cargo killed', outcome: 'converged', durationMs: 2500 },
    ]),
    concurrency: suite('concurrency', [
      { group: 'handle-event', name: '8 at once', outcome: 'landed', figures: { events: 8, moved: 6, commits: 6, superseded: 2, lost: 0 } },
      { group: 'nightly', name: 'two nightlies', outcome: 'landed', figures: { nightlies: 2, releases: 1, exitZero: 2 } },
    ]),
  } as never);

  it('counts bad inputs, controls, faults and concurrent runs from the results', () => {
    expect(doc).toContain('| bad inputs (corpus: versions 1, events 2) | 3 | 2 rejected cleanly, 1 known defects |');
    expect(doc).toContain('| valid inputs as controls (must be accepted) | 1 | 1 accepted |');
    expect(doc).toMatch(/\| faults injected \(git, cargo\) \| 2 \| 1 converged .*1 failed cleanly first \(1 of them then converged/);
    expect(doc).toContain('| 8 | 6 pin moves landed exactly once in 6 linear commits, 2 older events refused as superseded, 0 lost |');
    expect(doc).toContain('| 2 | 1 release published, 2 of 2 runs exited 0 |');
  });

  it('lists each defect once, escaping table characters, with the recovery procedures', () => {
    expect(doc).toContain('| 1 | events: c.json | it crashed. Observed: exit 1: boom \\| bang |');
    expect(doc).toContain('## Recovery procedures');
    expect(doc).not.toMatch(/\n\| 2 \| /);
  });
});
