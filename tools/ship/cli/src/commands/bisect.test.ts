import { describe, expect, it } from 'vitest';
import { readConfig } from '@bllvm/contract';
import { UsageError } from '../command';
import { bisectCommand } from './bisect';

// Each refusal comes before the workspace is read or anything runs.
const ctx = { workspaceRoot: '/nonexistent', out: () => undefined, err: () => undefined, env: {}, config: readConfig('/nonexistent', { BLLVM_WORK_DIR: '/nonexistent/w' }) };
const run = (values: Record<string, unknown>) => bisectCommand.run({ values: { good: 'a', bad: 'b', ...values }, positionals: [] }, ctx);

describe('bisect --run, as given on the command line', () => {
  it('refuses an empty command, and a command without the component whose sandbox it runs in', async () => {
    await expect(run({ run: '', component: 'bllvm-node' })).rejects.toThrow(new UsageError('--run needs a command, not an empty string'));
    await expect(run({ run: '   ', component: 'bllvm-node' })).rejects.toBeInstanceOf(UsageError);
    await expect(run({ run: 'cargo test --offline x' })).rejects.toThrow(/^--run needs --component <c>/);
  });

  it('still refuses a target outside build, test and verify', async () => {
    await expect(run({ run: 'true', component: 'bllvm-node', target: 'release' })).rejects.toThrow(/--target must be one of build, test, verify/);
  });

  it('documents the option and the exits it reads', () => {
    expect(bisectCommand.options.run).toEqual({ type: 'string' });
    expect(bisectCommand.usage).toContain("[--run '<cmd>']");
    expect(bisectCommand.usage).toMatch(/Exit 0 good, 125 skip, 1-127 bad/);
  });
});
