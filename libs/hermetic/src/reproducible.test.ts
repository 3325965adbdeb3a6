import { describe, expect, it } from 'vitest';
import { FIXED_ENV } from './env';
import { PATH_REMAPS, SANDBOX_PATHS, remapPathFlags, sourceDateEpoch } from './reproducible';

describe('reproducible build settings', () => {
  it('remaps the cargo home and the sysroot, the registry sources last so they win', () => {
    expect(remapPathFlags()).toEqual([
      '--remap-path-prefix=/toolchain=/rust',
      '--remap-path-prefix=/cargo-home=/cargo',
      '--remap-path-prefix=/cargo-home/registry/src=/cargo/registry',
    ]);
  });

  it('names the paths the sandbox environment fixes', () => {
    expect(FIXED_ENV.CARGO_HOME).toBe(SANDBOX_PATHS.cargoHome);
    expect(FIXED_ENV.CARGO_TARGET_DIR).toBe(SANDBOX_PATHS.target);
    for (const [from] of PATH_REMAPS) expect(Object.values(SANDBOX_PATHS).some((p) => from.startsWith(p)), from).toBe(true);
  });

  it('dates a build by its newest pinned commit, never by the clock', () => {
    expect(sourceDateEpoch([1700000000, 1700000500, 1699999999])).toBe(1700000500);
    expect(() => sourceDateEpoch([])).toThrow('no commit');
    expect(() => sourceDateEpoch([1.5])).toThrow('not a committer date');
  });
});
