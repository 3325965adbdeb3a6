import { describe, expect, it } from 'vitest';
import { sandboxLimits } from '@bllvm/hermetic';
import { runFailure } from './run-tool';

const req = (options: Parameters<typeof runFailure>[0]['options']) => ({ options, short: 'abcdef0', ctx: { component: 'node' }, limits: sandboxLimits({ wallSeconds: options.timeoutSeconds, processes: 64 }) });

describe('cargo run outcome', () => {
  it('passes on exit 0', () => {
    expect(runFailure(req({ command: 'build' }), { timedOut: false, exitCode: 0 })).toBeUndefined();
  });

  it('names a timeout, an exit code or a signal, and the command that failed', () => {
    expect(runFailure(req({ command: 'test', timeoutSeconds: 5 }), { timedOut: true })).toBe('test for node@abcdef0 timed out after 5s, its time limit');
    expect(runFailure(req({ command: 'build' }), { timedOut: false, exitCode: 101 })).toBe('cargo build failed for node@abcdef0 (exit 101); its output is above');
    expect(runFailure(req({ command: 'verify', verifyCommand: ['cargo', 'kani'] }), { timedOut: false, signal: 'SIGKILL' })).toBe(
      'verify (cargo kani) failed for node@abcdef0 (killed by SIGKILL); its output is above',
    );
  });

  it('fails a run that went over a limit, whatever its exit code, naming the limit', () => {
    expect(runFailure(req({ command: 'build' }), { timedOut: false, exitCode: 0, limitHit: 'process' })).toBe(
      'cargo build for node@abcdef0 was stopped: it went over its process limit (64 processes and threads)',
    );
    expect(runFailure(req({ command: 'test' }), { timedOut: false, exitCode: 137, limitHit: 'disk' })).toMatch(/^cargo test for node@abcdef0 was stopped: it went over its disk limit \(20480 MiB/);
  });
});
