import { describe, expect, it } from 'vitest';
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
    expect(req.childEnv.CARGO_TARGET_DIR).toBe('/w/.bllvm/target/bllvm-node/build-static');
    expect(normalizeCargoRequest(ctx, { command: 'test' }, io).purpose).toBe('test');
  });

  it('decides --locked from the options, leaving "auto" (the default) to the checkout', () => {
    expect(normalizeCargoRequest(ctx, { command: 'build', locked: 'always' }, io).locked).toBe(true);
    expect(normalizeCargoRequest(ctx, { command: 'build', locked: 'never' }, io).locked).toBe(false);
    expect(normalizeCargoRequest(ctx, { command: 'build', locked: 'auto' }, io).locked).toBe('auto');
    expect(normalizeCargoRequest(ctx, { command: 'build' }, io).locked).toBe('auto');
  });
});
