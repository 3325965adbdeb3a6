import { describe, expect, it } from 'vitest';
import { type DevelopSet, developCommits, developSetApplies, parseDevelopSet, recordDevelopTags, serializeDevelopSet } from './develop-set';

const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);
const SET: DevelopSet = {
  schema: 1,
  kind: 'develop',
  registry: 'sparse+http://127.0.0.1:1/index/',
  crates: [
    { component: 'consensus', crate: 'blvm-consensus', version: '0.2.1-dev.3' },
    { component: 'node', crate: 'blvm-node', version: '0.3.0-dev.1' },
  ],
};
const tagOf = (component: string, crate: string, version: string, commit: string) => ({ component, crate, version, tag: `v${version}`, commit });

describe('the develop set\'s tags', () => {
  it('records each tag and release commit beside its crate, and reads back what it wrote', () => {
    const r = recordDevelopTags(SET, [tagOf('consensus', 'blvm-consensus', '0.2.1-dev.3', C1)], 'crates.json');
    expect(r.changed).toEqual([`consensus: v0.2.1-dev.3 ${C1}`]);
    expect(r.set.crates).toEqual([{ ...SET.crates[0], tag: 'v0.2.1-dev.3', commit: C1 }, SET.crates[1]]);
    expect(parseDevelopSet(JSON.parse(serializeDevelopSet(r.set)), 'crates.json')).toEqual(r.set);
    // Unchanged input: recording alone never writes into the set it was given.
    expect(SET.crates[0]).not.toHaveProperty('tag');
  });

  it('changes nothing when the set records the tags already, and names a commit that moved', () => {
    const once = recordDevelopTags(SET, [tagOf('consensus', 'blvm-consensus', '0.2.1-dev.3', C1)], 'crates.json').set;
    const again = recordDevelopTags(once, [tagOf('consensus', 'blvm-consensus', '0.2.1-dev.3', C1)], 'crates.json');
    expect(again.changed).toEqual([]);
    expect(again.set).toEqual(once);
    expect(recordDevelopTags(once, [tagOf('consensus', 'blvm-consensus', '0.2.1-dev.3', C2)], 'crates.json').changed).toEqual([`consensus: v0.2.1-dev.3 ${C2} (was ${C1})`]);
  });

  it('refuses a tag the set was not planned for', () => {
    expect(() => recordDevelopTags(SET, [tagOf('wallet', 'blvm-wallet', '0.1.0-dev.1', C1)], 'crates.json')).toThrow('crates.json: does not list wallet, which was tagged v0.1.0-dev.1');
    expect(() => recordDevelopTags(SET, [tagOf('consensus', 'blvm-consensus', '0.2.1-dev.4', C1)], 'crates.json')).toThrow(
      'crates.json: lists consensus as blvm-consensus 0.2.1-dev.3, but its release commit is of blvm-consensus 0.2.1-dev.4; run `version --develop` again',
    );
    expect(() => recordDevelopTags(SET, [{ ...tagOf('consensus', 'blvm-consensus', '0.2.1-dev.3', C1), tag: 'v0.2.1' }], 'crates.json')).toThrow('crates.json: consensus: tag v0.2.1 is not v0.2.1-dev.3');
  });

  it.each([
    [{ tag: 'v0.2.1-dev.3' }, 'crates.json: crates[0] must have both tag and commit, or neither'],
    [{ commit: C1 }, 'crates.json: crates[0] must have both tag and commit, or neither'],
    [{ tag: 'v0.2.1', commit: C1 }, 'crates.json: crates[0].tag must be "v0.2.1-dev.3" (its version\'s tag), got "v0.2.1"'],
    [{ tag: 'v0.2.1-dev.3', commit: 'main' }, 'crates.json: crates[0].commit must be a 40-hex commit, got "main"'],
    [{ tag: 'v0.2.1-dev.3', commit: C1.toUpperCase() }, 'crates.json: crates[0].commit must be a 40-hex commit'],
  ])('refuses a bad tag record in one line: %#', (extra, message) => {
    const json = { ...SET, crates: [{ ...SET.crates[0], ...extra }, SET.crates[1]] };
    expect(() => parseDevelopSet(json, 'crates.json')).toThrow(message);
  });
});

describe('the pin each release commit was made on', () => {
  const P1 = 'c'.repeat(40);
  const P2 = 'd'.repeat(40);
  it('is recorded with the tag, read back, and refused when it is no commit or has no commit beside it', () => {
    const r = recordDevelopTags(SET, [{ ...tagOf('consensus', 'blvm-consensus', '0.2.1-dev.3', C1), base: P1 }], 'crates.json');
    expect(r.set.crates[0]).toEqual({ component: 'consensus', crate: 'blvm-consensus', version: '0.2.1-dev.3', tag: 'v0.2.1-dev.3', commit: C1, base: P1 });
    expect(parseDevelopSet(JSON.parse(serializeDevelopSet(r.set)), 'f')).toEqual(r.set);
    const bad = (crate: object) => () => parseDevelopSet({ ...SET, crates: [crate] }, 'f');
    expect(bad({ ...SET.crates[0], tag: 'v0.2.1-dev.3', commit: C1, base: 'HEAD' })).toThrow('f: crates[0].base must be a 40-hex commit, got "HEAD"');
    expect(bad({ ...SET.crates[0], base: P1 })).toThrow('f: crates[0].base goes with a commit');
  });

  it('decides which release commits the nightly packages: the whole set when it was made on the current pins, else none', () => {
    const set = recordDevelopTags(SET, [
      { ...tagOf('consensus', 'blvm-consensus', '0.2.1-dev.3', C1), base: P1 },
      { ...tagOf('node', 'blvm-node', '0.3.0-dev.1', C2), base: P2 },
    ], 'f').set;
    expect(developCommits(set, { consensus: P1, node: P2 })).toEqual({ consensus: C1, node: C2 });
    // node's pin moved since the set was tagged (or a trial or bisection moved it): the set is not
    // these pins', and every crate is packaged at its pin.
    expect(developCommits(set, { consensus: P1, node: C1 })).toEqual({});
    expect(developCommits(undefined, { consensus: P1 })).toEqual({});
    // A set tagged before the base was recorded applies to no pin.
    expect(developCommits(recordDevelopTags(SET, [tagOf('consensus', 'blvm-consensus', '0.2.1-dev.3', C1)], 'f').set, { consensus: P1 })).toEqual({});
  });
});

describe('a develop set kept by a rerun', () => {
  const P1 = 'c'.repeat(40);
  it('applies only when every crate is tagged on its component\'s current pin', () => {
    const tagged = recordDevelopTags(SET, [
      { ...tagOf('consensus', 'blvm-consensus', '0.2.1-dev.3', C1), base: P1 },
      { ...tagOf('node', 'blvm-node', '0.3.0-dev.1', C2), base: P1 },
    ], 'f').set;
    expect(developSetApplies(tagged, { consensus: P1, node: P1 })).toBe(true);
    expect(developSetApplies(tagged, { consensus: P1, node: C1 })).toBe(false);
    expect(developSetApplies(SET, { consensus: P1, node: P1 })).toBe(false);
    expect(developSetApplies({ ...SET, crates: [] }, {})).toBe(false);
    expect(developSetApplies(undefined, {})).toBe(false);
  });
});
