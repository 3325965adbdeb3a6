import { describe, expect, it } from 'vitest';
import { runFailure } from './run-tool';

const req = (options: Parameters<typeof runFailure>[0]['options']) => ({ options, short: 'abcdef0', ctx: { component: 'node' } });

describe('cargo run outcome', () => {
  it('passes on exit 0', () => {
    expect(runFailure(req({ command: 'build' }), { timedOut: false, exitCode: 0 })).toBeUndefined();
  });

  it('names a timeout, an exit code or a signal, and the command that failed', () => {
    expect(runFailure(req({ command: 'test', timeoutSeconds: 5 }), { timedOut: true })).toBe('test for node@abcdef0 timed out after 5s');
    expect(runFailure(req({ command: 'build' }), { timedOut: false, exitCode: 101 })).toBe('cargo build failed for node@abcdef0 (exit 101); its output is above');
    expect(runFailure(req({ command: 'verify', verifyCommand: ['cargo', 'kani'] }), { timedOut: false, signal: 'SIGKILL' })).toBe(
      'verify (cargo kani) failed for node@abcdef0 (killed by SIGKILL); its output is above',
    );
  });
});
