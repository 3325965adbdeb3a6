import { describe, expect, it } from 'vitest';
import { remapPathFlags } from '@bllvm/hermetic';
import { cargoEnv } from './cargo-env';

const REMAPS = remapPathFlags();

describe('cargo environment', () => {
  it('sets colour and the compiler flags, and nothing of the host besides', () => {
    expect(cargoEnv({ command: 'build' }, { PATH: '/bin', GITHUB_TOKEN: 'x', HOME: '/root' })).toEqual({ CARGO_ENCODED_RUSTFLAGS: REMAPS.join('\x1f'), CARGO_TERM_COLOR: 'always' });
    expect(cargoEnv({ command: 'build' }, { CARGO_TERM_COLOR: 'never' }).CARGO_TERM_COLOR).toBe('never');
  });

  it('carries RUSTFLAGS over into the encoded flags (cargo would ignore them) and adds crt-static for static builds', () => {
    const env = cargoEnv({ command: 'build', static: true }, { RUSTFLAGS: '-C debuginfo=0' });
    expect(env.CARGO_ENCODED_RUSTFLAGS.split('\x1f')).toEqual(['-C', 'debuginfo=0', '-C', 'target-feature=+crt-static', ...REMAPS]);
    expect(env).not.toHaveProperty('RUSTFLAGS');
  });

  it('keeps given encoded flags whole (a space inside stays one flag)', () => {
    const env = cargoEnv({ command: 'build', static: true }, { CARGO_ENCODED_RUSTFLAGS: '--cfg\x1ffoo="a b"' });
    expect(env.CARGO_ENCODED_RUSTFLAGS.split('\x1f')).toEqual(['--cfg', 'foo="a b"', '-C', 'target-feature=+crt-static', ...REMAPS]);
  });
});
