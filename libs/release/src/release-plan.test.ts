import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildRecord, CrateRecord, ImageRecord } from '@bllvm/manifest';
import { ReleasePlanError, assembleReleasePlan, developCommitsOn, readPackagedCrate } from './release-plan';
import { sha256, tempDir } from './testing';
import { parseReleaseHistory } from './release-history';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const HEAD = 'c'.repeat(40);
const component = (id: string, commit: string, kinds: ('binary' | 'image' | 'library')[] = ['binary']) => ({ id, repository: `Org/${id}`, pin: { commit } as never, kinds });
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

describe('a packaged crate in the plan', () => {
  const SHA = 'e'.repeat(64);
  const record = (commit: string, extra: Partial<CrateRecord> = {}): CrateRecord => ({
    component: 'a',
    crate: 'blvm-a',
    version: '0.2.0',
    file: 'blvm-a-0.2.0.crate',
    size: 10,
    sha256: SHA,
    commit,
    dependsOn: [],
    ...extra,
  });
  const plan = (crate: { record: CrateRecord; path: string; found?: { size: number; sha256: string } }) => () =>
    assembleReleasePlan({
      tag: 'v1.0.0',
      orchestratorCommit: HEAD,
      createdAt: '2026-01-01T00:00:00.000Z',
      components: [
        { component: component('a', A), buildRecord: build(A), sbom: sbom(A), crate },
        { component: component('b', B), buildRecord: build(B), sbom: sbom(B) },
      ],
      history,
      historyCommand: 'make-history',
    });
  const problems = (run: () => unknown): string[] => {
    try {
      run();
    } catch (e) {
      if (e instanceof ReleasePlanError) return e.problems;
      throw e;
    }
    throw new Error('the plan was made');
  };

  it('rides on its component when its record is of the pin and the .crate is the bytes it names', () => {
    const made = plan({ record: record(A), path: '/d/a/crate/blvm-a-0.2.0.crate', found: { size: 10, sha256: SHA } })();
    expect(made.components.map((c) => c.crate)).toEqual([{ record: record(A), path: '/d/a/crate/blvm-a-0.2.0.crate' }, undefined]);
  });

  /** A nightly of library a at pin A, with its packaged crate and (optionally) a develop set. */
  const nightly = (crate: { record: CrateRecord; path: string; found?: { size: number; sha256: string } }, develop?: { component: string; commit?: string; base?: string }[]) => () =>
    assembleReleasePlan({
      tag: 'nightly-20260101-ccccccc',
      orchestratorCommit: HEAD,
      createdAt: '2026-01-01T00:00:00.000Z',
      components: [{ component: component('a', A, ['library']), buildRecord: build(A), sbom: sbom(A), crate }],
      history: { ...history, pins: { a: A } },
      historyCommand: 'make-history',
      ...(develop ? { develop } : {}),
    });

  it('is checked but not shipped by a nightly: the pins\' versions belong to the release that tags them', () => {
    expect(nightly({ record: record(A), path: '/p', found: { size: 10, sha256: SHA } })().components[0]!.crate).toBeUndefined();
    expect(problems(nightly({ record: record(B), path: '/p', found: { size: 10, sha256: SHA } }))[0]).toMatch(/^a: the crate record \(blvm-a 0\.2\.0\) is of b+, but the pin is a+/);
  });

  it('is shipped by a nightly when it is of the develop set\'s release commit made on the pin, and only then', () => {
    const D = 'd'.repeat(40);
    const found = { size: 10, sha256: SHA };
    expect(nightly({ record: record(D), path: '/p', found }, [{ component: 'a', commit: D, base: A }])().components[0]!.crate).toEqual({ record: record(D), path: '/p', base: A });
    // Packaged at the pin although the set names a release commit on it: repackage.
    expect(problems(nightly({ record: record(A), path: '/p', found }, [{ component: 'a', commit: D, base: A }]))).toEqual([
      `a: the crate record (blvm-a 0.2.0) is of ${A}, but the develop set's release commit on the pin is ${D}; package it again: \`npx nx run a:package\``,
    ]);
    // A set tagged on another pin does not apply: the crate is the pin's, checked, not shipped.
    expect(nightly({ record: record(A), path: '/p', found }, [{ component: 'a', commit: D, base: B }])().components[0]!.crate).toBeUndefined();
    // All or nothing: one crate of the set not tagged on its pin, and the set is not these pins'.
    expect(developCommitsOn([{ component: 'a', commit: D, base: A }, { component: 'b', commit: D }], { a: A, b: B })).toEqual({});
    expect(developCommitsOn([{ component: 'a', commit: D, base: A }, { component: 'b', commit: D, base: B }], { a: A, b: B })).toEqual({ a: D, b: D });
  });

  it('ships versions.toml\'s crates in a release, whatever a develop set says', () => {
    const D = 'd'.repeat(40);
    const made = assembleReleasePlan({
      tag: 'v0.2.0',
      orchestratorCommit: HEAD,
      createdAt: '2026-01-01T00:00:00.000Z',
      components: [{ component: component('a', A, ['library']), buildRecord: build(A), sbom: sbom(A), crate: { record: record(A), path: '/p', found: { size: 10, sha256: SHA } } }],
      history: { ...history, pins: { a: A } },
      historyCommand: 'make-history',
      develop: [{ component: 'a', commit: D, base: A }],
    });
    expect(made.components[0]!.crate?.record.commit).toBe(A);
  });

  it('is refused when packaged from another commit, naming the component and both commits', () => {
    expect(problems(plan({ record: record(B), path: '/p', found: { size: 10, sha256: SHA } }))).toEqual([
      `a: the crate record (blvm-a 0.2.0) is of ${B}, but the pin is ${A}; package it again: \`npx nx run a:package\``,
    ]);
  });

  it('is refused when the .crate is missing, of another size or of other bytes, naming both values', () => {
    expect(problems(plan({ record: record(A), path: '/p' }))).toEqual(['a: /p is missing, but its crate record names it; package it again: `npx nx run a:package`']);
    expect(problems(plan({ record: record(A), path: '/p', found: { size: 11, sha256: SHA } }))[0]).toBe('a: /p is 11 bytes, but its crate record says 10; package it again: `npx nx run a:package`');
    const other = 'f'.repeat(64);
    expect(problems(plan({ record: record(A), path: '/p', found: { size: 10, sha256: other } }))[0]).toBe(`a: /p has sha256 ${other}, but its crate record says ${SHA}; package it again: \`npx nx run a:package\``);
  });

  it('is refused for a library that left neither a crate nor the record that its crate is not published', () => {
    const library = (extra: { notPublished?: { component: string; commit: string; reason: 'publish = false' } }) => () =>
      assembleReleasePlan({
        tag: 'v1.0.0',
        orchestratorCommit: HEAD,
        createdAt: '2026-01-01T00:00:00.000Z',
        components: [
          { component: component('a', A, ['library']), buildRecord: build(A), sbom: sbom(A), ...extra },
          { component: component('b', B), buildRecord: build(B), sbom: sbom(B) },
        ],
        history,
        historyCommand: 'make-history',
      });
    expect(problems(library({}))).toEqual(['a: the library\'s crate was not packaged (no crate.json or not-published.json in dist/a/crate/); package it: `npx nx run a:package`']);
    expect(library({ notPublished: { component: 'a', commit: A, reason: 'publish = false' } })().components[0]!.crate).toBeUndefined();
    expect(problems(library({ notPublished: { component: 'a', commit: B, reason: 'publish = false' } }))).toEqual([
      'a: the record that its crate is not published is of bbbbbbb, but the pin is aaaaaaa; package it: `npx nx run a:package`',
    ]);
  });

  it('is refused when the record is of another component', () => {
    expect(problems(plan({ record: record(A, { component: 'b' }), path: '/p', found: { size: 10, sha256: SHA } }))).toEqual([
      'a: the crate record is of component b; package it again: `npx nx run a:package`',
    ]);
  });
});

describe('readPackagedCrate', () => {
  it('reads the record and hashes the .crate beside it; no record is no crate; a bad record names the file and field', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const dist = { dir: join(dir, 'crate'), record: join(dir, 'crate', 'crate.json') };
      expect(await readPackagedCrate(dist)).toBeUndefined();
      await mkdir(dist.dir);
      const bytes = Buffer.from('not really a crate');
      const record = { component: 'a', crate: 'blvm-a', version: '0.2.0', file: 'blvm-a-0.2.0.crate', size: bytes.length, sha256: sha256(bytes), commit: A, dependsOn: ['blvm-z'] };
      await writeFile(dist.record, JSON.stringify(record));
      expect(await readPackagedCrate(dist)).toEqual({ record, path: join(dist.dir, 'blvm-a-0.2.0.crate') });
      await writeFile(join(dist.dir, record.file), bytes);
      expect(await readPackagedCrate(dist)).toEqual({ record, path: join(dist.dir, record.file), found: { size: bytes.length, sha256: sha256(bytes) } });
      await writeFile(dist.record, JSON.stringify({ ...record, file: 'other.crate' }));
      await expect(readPackagedCrate(dist)).rejects.toThrow(/crate\.json.*file/);
    } finally {
      await cleanup();
    }
  });
});
