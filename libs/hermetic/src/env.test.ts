import { describe, expect, it } from 'vitest';
import { FIXED_ENV, hermeticEnv } from './env';

describe('hermeticEnv', () => {
  const host = {
    GITHUB_TOKEN: 'ghp_x', ORCHESTRATOR_TOKEN: 'o', BLLVM_DEPLOY_TOKEN: 'd', DOCKER_HOST: 'unix:///x.sock', SSH_AUTH_SOCK: '/s',
    HOME: '/root', PATH: '/root/.cargo/bin:/usr/bin', RUSTFLAGS: '-C x', SOURCE_DATE_EPOCH: '1700000000', CARGO_TERM_COLOR: 'never',
  };

  it('carries nothing of the host but the allow-list, and fixes the rest', () => {
    const env = hermeticEnv(host);
    // SOURCE_DATE_EPOCH is the task's to set from its pins, not the runner's.
    expect(env).toEqual({ ...FIXED_ENV, CARGO_TERM_COLOR: 'never' });
    expect(hermeticEnv(host, { SOURCE_DATE_EPOCH: '1600000000' }).SOURCE_DATE_EPOCH).toBe('1600000000');
    expect(JSON.stringify(env)).not.toMatch(/ghp_x|unix:\/\/|\/root/);
  });

  it('takes what the task sets, and refuses a credential-looking name', () => {
    expect(hermeticEnv({}, { CARGO_ENCODED_RUSTFLAGS: '-Cdebuginfo=0' }).CARGO_ENCODED_RUSTFLAGS).toBe('-Cdebuginfo=0');
    for (const name of ['GITHUB_TOKEN', 'MY_SECRET', 'DOCKER_HOST', 'AWS_ACCESS_KEY_ID', 'SSH_AUTH_SOCK'])
      expect(() => hermeticEnv({}, { [name]: 'v' }), name).toThrow(`refusing to pass ${name} into the build sandbox`);
  });

  it('cannot be talked out of its fixed paths', () => {
    expect(hermeticEnv({}, { PATH: '/evil', CARGO_HOME: '/root/.cargo' })).toMatchObject({ PATH: FIXED_ENV.PATH, CARGO_HOME: '/cargo-home' });
  });
});
