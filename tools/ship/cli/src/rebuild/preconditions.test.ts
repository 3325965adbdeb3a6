import { describe, expect, it } from 'vitest';
import { rebuildRefusals } from './preconditions';

const COMMIT = 'a'.repeat(40);
const settings = { sourceDateEpoch: 1, cargo: 'cargo 1.88.0', rustflags: [], command: ['cargo'], sandbox: {} };
const manifest = {
  tag: 'nightly-20261130-aaaaaaa',
  orchestratorCommit: COMMIT,
  archiver: { zlib: '1.3', gzipLevel: 9 },
  components: [{ toolchain: 'rustc 1.88.0\nhost: x86_64', build: { profile: 'release', settings } }],
} as never;
const ok = { head: COMMIT, dirty: [], rustc: 'rustc 1.88.0\nhost: x86_64', cargo: 'cargo 1.88.0', zlib: '1.3' };

describe('rebuildRefusals', () => {
  it('accepts a clean checkout of the recorded commit with the recorded toolchain and zlib', () => {
    expect(rebuildRefusals(manifest, ok)).toEqual([]);
  });

  it('says which commit to check out, which toolchain to install, which zlib is needed', () => {
    const problems = rebuildRefusals(manifest, { head: 'b'.repeat(40), dirty: ['package-lock.json'], rustc: 'rustc 1.89.0', cargo: 'cargo 1.89.0', zlib: '1.2' });
    expect(problems).toHaveLength(5);
    expect(problems[0]).toContain(`git checkout ${COMMIT}`);
    expect(problems[1]).toContain('package-lock.json');
    expect(problems[2]).toContain('rustc 1.88.0');
    expect(problems[3]).toContain('built with cargo 1.88.0, but this machine has cargo 1.89.0');
    expect(problems[4]).toContain('zlib 1.3');
  });

  it('refuses a release that recorded no build settings', () => {
    const old = { ...(manifest as object), components: [{ toolchain: ok.rustc }] } as never;
    expect(rebuildRefusals(old, ok)).toEqual([expect.stringContaining('records no build settings')]);
  });
});
