import { describe, expect, it } from 'vitest';
import { remapPathFlags } from '@bllvm/hermetic';
import type { ComponentContext } from '../../lib/component';
import { normalizeCargoRequest } from './request';

const ctx = {
  workspaceRoot: '/w',
  component: 'bllvm-node',
  pin: { repository: 'O/bllvm-node', branch: 'main', commit: 'abcdef0123456789abcdef0123456789abcdef01' },
  sources: { gitBaseUrl: 'file:///g/', workDir: '/w/.bllvm' },
} as ComponentContext;
const io = { outDir: '/w/dist/bllvm-node/build', log: () => {}, env: {} };

describe('cargo request', () => {
  it('names the target dir by command and static linking, and the commit short', () => {
    const req = normalizeCargoRequest(ctx, { command: 'build', static: true }, io);
    expect(req).toMatchObject({ short: 'abcdef0', purpose: 'build-static', outDir: '/w/dist/bllvm-node/build' });
    expect(req.targetDir).toBe('/w/.bllvm/target/bllvm-node/build-static');
    expect(req.registryHome).toBe('/w/.bllvm/cargo-home/bllvm-node');
    expect(normalizeCargoRequest(ctx, { command: 'test', cargoHome: '.cargo-home' }, io).registryHome).toBe('/w/.cargo-home');
  });

  it("gives the sandbox its fixed environment and the flags, never the host's", () => {
    const req = normalizeCargoRequest(ctx, { command: 'build' }, { ...io, env: { GITHUB_TOKEN: 'ghp_x', DOCKER_HOST: 'unix:///s', RUSTFLAGS: '-C debuginfo=0', HOME: '/root' } });
    expect(req.sandboxEnv).toMatchObject({ HOME: '/home/builder', CARGO_TARGET_DIR: '/target', CARGO_HOME: '/cargo-home', CARGO_ENCODED_RUSTFLAGS: ['-C', 'debuginfo=0', ...remapPathFlags()].join('\x1f') });
    expect(JSON.stringify(req.sandboxEnv)).not.toMatch(/ghp_x|unix:|\/root/);
    expect(normalizeCargoRequest(ctx, { command: 'test' }, io).purpose).toBe('test');
  });

  it('takes the default limits, the options\' overrides, and the wall time from timeoutSeconds; refuses a bad one', () => {
    expect(normalizeCargoRequest(ctx, { command: 'build' }, io).limits).toEqual({ processes: 1024, memoryMiB: 8192, diskMiB: 20480, tmpMiB: 1024, wallSeconds: 3600 });
    expect(normalizeCargoRequest(ctx, { command: 'build', limits: { processes: 64, diskMiB: 10 }, timeoutSeconds: 30 }, io).limits).toMatchObject({ processes: 64, diskMiB: 10, wallSeconds: 30 });
    expect(() => normalizeCargoRequest(ctx, { command: 'build', limits: { processes: 0 } }, io)).toThrow('processes must be a positive whole number');
  });

  it('decides --locked from the options, leaving "auto" (the default) to the checkout', () => {
    expect(normalizeCargoRequest(ctx, { command: 'build', locked: 'always' }, io).locked).toBe(true);
    expect(normalizeCargoRequest(ctx, { command: 'build', locked: 'never' }, io).locked).toBe(false);
    expect(normalizeCargoRequest(ctx, { command: 'build', locked: 'auto' }, io).locked).toBe('auto');
    expect(normalizeCargoRequest(ctx, { command: 'build' }, io).locked).toBe('auto');
  });
});
