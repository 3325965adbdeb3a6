import { describe, expect, it } from 'vitest';
import { loadSeedCrates, parseSeedList, seedState } from './seed';
import { RegistryState } from './state';

describe('the seed crates', () => {
  it('build the same .crate bytes every time, with the shapes tests rely on', async () => {
    const [a, b] = await Promise.all([loadSeedCrates(), loadSeedCrates()]);
    expect(a.map((s) => s.cksum)).toEqual(b.map((s) => s.cksum));
    expect(a.map((s) => `${s.name}@${s.version}${s.yanked ? ' (yanked)' : ''}`)).toEqual([
      'leaf@0.1.0',
      'leaf@0.1.3',
      'leaf@0.1.4 (yanked)',
      'leaf@0.2.0',
      'mid@0.3.1',
      'tint@0.1.0',
      'fancy@1.0.0',
    ]);
    const state = new RegistryState();
    seedState(state, a);
    expect(state.indexFile('mid')).toContain('"deps":[{"name":"leaf","req":"^0.1"');
    expect(state.indexFile('fancy')).toContain('"features2":{"color":["dep:tint"]}');
    expect(state.info('leaf').crate.max_version).toBe('0.2.0');
  });
});

describe('parseSeedList', () => {
  it('reads the list and says what is wrong with it', () => {
    expect(parseSeedList('s.json', '{"crates":[{"path":"leaf/0.1.0"},{"path":"leaf/0.1.4","yanked":true}]}')).toEqual([
      { path: 'leaf/0.1.0', yanked: false },
      { path: 'leaf/0.1.4', yanked: true },
    ]);
    expect(() => parseSeedList('s.json', '{')).toThrow(/^s\.json: not JSON/);
    expect(() => parseSeedList('s.json', '{"crates":{}}')).toThrow(/`crates` must be an array/);
    expect(() => parseSeedList('s.json', '{"crates":[{"path":"../x"}]}')).toThrow(/crates\[0\]\.path must be "<name>\/<version>"/);
    expect(() => parseSeedList('s.json', '{"crates":[{"path":"a/1.0.0","yanked":"no"}]}')).toThrow(/crates\[0\]\.yanked must be a boolean/);
    expect(() => parseSeedList('s.json', '{"crates":[{"path":"a/1.0.0","owner":"x"}]}')).toThrow(/crates\[0\]\.owner is not a seed field/);
    expect(() => parseSeedList('s.json', '{"crates":[{"path":"a/1.0.0"},{"path":"a/1.0.0"}]}')).toThrow(/crates\[1\]: a\/1\.0\.0 is listed twice/);
  });
});
