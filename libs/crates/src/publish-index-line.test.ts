import { indexPath as doubleIndexPath, loadSeedCrates, RegistryState } from '@bllvm/cargo-registry';
import { describe, expect, it } from 'vitest';
import { findVersion, indexPath, IndexLineError, parseIndexFile } from './publish-index-line';

const SUM = 'a'.repeat(64);
const line = (fields: Record<string, unknown>) => JSON.stringify({ name: 'leaf', vers: '0.1.0', deps: [], cksum: SUM, features: {}, yanked: false, links: null, v: 1, ...fields });

function problem(text: string, limit?: number): string {
  try {
    parseIndexFile(text, 'leaf', 'reg le/af/leaf', limit === undefined ? undefined : { maxBytes: limit });
  } catch (error) {
    expect(error).toBeInstanceOf(IndexLineError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('parseIndexFile', () => {
  it('reads the index files a registry writes, features2 folded into features', async () => {
    const state = new RegistryState();
    for (const seed of await loadSeedCrates()) state.publish(seed.metadata, seed.crate);
    state.setYanked('leaf', '0.1.4', true);
    const leaf = parseIndexFile(state.indexFile('leaf')!, 'leaf', 'x');
    expect(leaf.map((e) => [e.vers, e.yanked])).toEqual([
      ['0.1.0', false],
      ['0.1.3', false],
      ['0.1.4', true],
      ['0.2.0', false],
    ]);
    const [fancy] = parseIndexFile(state.indexFile('fancy')!, 'fancy', 'x');
    expect(fancy!.features).toEqual({ color: ['dep:tint'] });
    expect(fancy!.deps[0]).toMatchObject({ name: 'tint', optional: true, kind: 'normal' });
  });

  it('skips blank lines and ignores fields it does not know', () => {
    expect(parseIndexFile(`\n${line({ pubtime: '2024-01-01T00:00:00Z' })}\n\n`, 'leaf', 'x')).toHaveLength(1);
  });

  it('names the line and field of anything wrong', () => {
    expect(problem(`${line({})}\n{oops`)).toMatch(/^reg le\/af\/leaf:2: is not JSON/);
    expect(problem(line({ cksum: 'ABC' }))).toBe('reg le/af/leaf:1: `cksum` must be 64 lowercase hex digits (a sha256)');
    expect(problem(line({ vers: '1.0' }))).toBe('reg le/af/leaf:1: `vers` `1.0` is not a semantic version');
    expect(problem(line({ yanked: 'no' }))).toBe('reg le/af/leaf:1: `yanked` must be a boolean');
    expect(problem(line({ name: 'other' }))).toBe('reg le/af/leaf:1: `name` is `other` in the index file of `leaf`');
    expect(problem(line({ deps: [{ name: 'x', req: '1', kind: 'weird' }] }))).toBe('reg le/af/leaf:1: `deps[0].kind` must be one of normal, build, dev');
    expect(problem(line({ deps: [{ name: 'x' }] }))).toBe('reg le/af/leaf:1: `deps[0].req` is missing');
    expect(problem('[1]')).toBe('reg le/af/leaf:1: is not a JSON object');
  });

  it('accepts the name in any case or with - for _ (one crate to the registry)', () => {
    expect(parseIndexFile(line({ name: 'Leaf' }), 'leaf', 'x')[0]!.name).toBe('Leaf');
  });

  it('bounds the file', () => {
    expect(problem(line({}), 10)).toMatch(/the index file is \d+ bytes, more than the 10 read/);
  });
});

describe('findVersion', () => {
  const entries = parseIndexFile([line({ vers: '1.0.0+a', cksum: 'b'.repeat(64) }), line({ vers: '1.0.1' })].join('\n'), 'leaf', 'x');
  it('finds a version as the registry tells versions apart: build metadata aside', () => {
    expect(findVersion(entries, '1.0.1')?.cksum).toBe(SUM);
    expect(findVersion(entries, '1.0.0+b')?.vers).toBe('1.0.0+a');
    expect(findVersion(entries, '1.0.0')?.vers).toBe('1.0.0+a');
    expect(findVersion(entries, '1.0.2')).toBeUndefined();
  });
});

describe('indexPath', () => {
  it('places files where cargo looks for them', () => {
    for (const name of ['a', 'ab', 'abc', 'Leaf_Crate', 'serde']) expect(indexPath(name)).toBe(doubleIndexPath(name));
    expect(indexPath('Leaf')).toBe('le/af/leaf');
    expect(() => indexPath('../x')).toThrow(/not a crate name/);
  });
});
