import { describe, expect, it } from 'vitest';
import { cargoEnv } from './cargo-env';

const where = { targetDir: '/w/.bllvm/target/a/build', sourcesDir: '/w/my sources', workspaceRoot: '/w' };
const remap = '--remap-path-prefix=/w/my sources=/bllvm/src';

describe('cargo environment', () => {
  it('sets the target dir and colour, and maps the checkouts to one prefix as one encoded flag', () => {
    const env = cargoEnv({ command: 'build' }, { PATH: '/bin' }, where);
    expect(env).toMatchObject({ PATH: '/bin', CARGO_TARGET_DIR: where.targetDir, CARGO_TERM_COLOR: 'always', CARGO_ENCODED_RUSTFLAGS: remap });
    expect(cargoEnv({ command: 'build' }, { CARGO_TERM_COLOR: 'never' }, where).CARGO_TERM_COLOR).toBe('never');
    expect(env.CARGO_HOME).toBeUndefined();
  });

  it('carries RUSTFLAGS over into the encoded flags (cargo would ignore them) and adds crt-static for static builds', () => {
    const env = cargoEnv({ command: 'build', static: true }, { RUSTFLAGS: '-C debuginfo=0' }, where);
    expect(env.CARGO_ENCODED_RUSTFLAGS!.split('\x1f')).toEqual(['-C', 'debuginfo=0', '-C', 'target-feature=+crt-static', remap]);
    expect(env).not.toHaveProperty('RUSTFLAGS');
  });

  it('keeps given encoded flags whole (a space inside stays one flag)', () => {
    const env = cargoEnv({ command: 'build', static: true }, { CARGO_ENCODED_RUSTFLAGS: '--cfg\x1ffoo="a b"' }, where);
    expect(env.CARGO_ENCODED_RUSTFLAGS!.split('\x1f')).toEqual(['--cfg', 'foo="a b"', '-C', 'target-feature=+crt-static', remap]);
  });

  it('resolves a CARGO_HOME option against the workspace', () => {
    expect(cargoEnv({ command: 'test', cargoHome: '.cargo-home' }, {}, where).CARGO_HOME).toBe('/w/.cargo-home');
  });
});
