import { describe, expect, it } from 'vitest';
import type { BuildRecord, ImageRecord } from '@bllvm/manifest';
import { ReleasePlanError, assembleReleasePlan } from './release-plan';
import { parseReleaseHistory } from './release-history';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const HEAD = 'c'.repeat(40);
const component = (id: string, commit: string, kinds: ('binary' | 'image')[] = ['binary']) => ({ id, repository: `Org/${id}`, pin: { commit } as never, kinds });
const build = (commit: string) => ({ commit, version: '1.0.0' }) as BuildRecord;
const sbom = (commit: string) => ({ crate: 'app', commit, lockText: '# lock' });
const history = { orchestratorCommit: HEAD, pins: { a: A, b: B }, previous: { commit: 'd'.repeat(40), tag: 'v0.9.0' }, changelog: [] };

describe('assembleReleasePlan', () => {
  it('is the release as one value: identity, components in the order given with their records, and the history', () => {
    const image = { commit: B } as ImageRecord;
    const plan = assembleReleasePlan({
      tag: 'v1.0.0',
      orchestratorCommit: HEAD,
      createdAt: '2026-01-01T00:00:00.000Z',
      components: [
        { component: component('a', A), buildRecord: build(A), sbom: sbom(A) },
        { component: component('b', B, ['binary', 'image']), buildRecord: build(B), image, sbom: sbom(B) },
      ],
      history,
      historyCommand: 'make-history',
    });
    expect(plan).toMatchObject({ tag: 'v1.0.0', kind: 'release', orchestratorCommit: HEAD, previous: { tag: 'v0.9.0' }, changelog: [] });
    expect(plan.components.map((c) => [c.name, c.repository, c.commit, !!c.image])).toEqual([
      ['a', 'Org/a', A, false],
      ['b', 'Org/b', B, true],
    ]);
  });

  it('names every problem of every component, and a history of other pins, at once', () => {
    const run = () =>
      assembleReleasePlan({
        tag: 'nightly-20260101-ccccccc',
        orchestratorCommit: HEAD,
        createdAt: '2026-01-01T00:00:00.000Z',
        components: [
          { component: component('a', A), buildRecord: build(B) },
          { component: component('b', B, ['image']), buildRecord: build(B), sbom: sbom(A) },
        ],
        history: { ...history, pins: { a: A, b: A } },
        historyCommand: 'make-history',
      });
    expect(run).toThrow(ReleasePlanError);
    try {
      run();
    } catch (e) {
      const problems = (e as ReleasePlanError).problems;
      expect(problems).toHaveLength(5);
      expect(problems[0]).toMatch(/^a: the build record is of bbbbbbb, but the pin is aaaaaaa; rebuild it: `npx nx run a:build`/);
      expect(problems.join('\n')).toContain('a: its build kept no Cargo.lock');
      expect(problems.join('\n')).toContain('b: no image record');
      expect(problems.join('\n')).toContain('b: the SBOM source is of aaaaaaa');
      expect(problems.at(-1)).toContain('remake it: `make-history`');
    }
  });
});

describe('parseReleaseHistory', () => {
  it('reads back what the changelog target writes, and names the field at fault', () => {
    const record = { ...history, changelog: [{ component: 'a', repository: 'Org/a', current: A, status: 'changed', previous: B, commits: [{ sha: B, subject: 's', author: 'x' }] }] };
    expect(parseReleaseHistory(JSON.parse(JSON.stringify(record)), 'h.json')).toEqual(record);
    expect(() => parseReleaseHistory({ ...record, orchestratorCommit: 'nope' }, 'h.json')).toThrow(/^h\.json: orchestratorCommit must be 40 lowercase hex/);
    expect(() => parseReleaseHistory({ ...record, changelog: [{ ...record.changelog[0], status: 'odd' }] }, 'h.json')).toThrow(/changelog\[0\]\.status/);
    expect(() => parseReleaseHistory({ ...record, pins: { a: 'x' } }, 'h.json')).toThrow(/pins\.a/);
  });
});
