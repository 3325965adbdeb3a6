import { describe, expect, it } from 'vitest';
import { firstErrorLine, taskBlocks } from './first-error';

const OUTPUT = [
  '> nx run bllvm-consensus:build:sandbox',
  '   Compiling bllvm-consensus v0.1.0',
  '\u001b[1m\u001b[32m    Finished\u001b[0m release',
  '',
  '> nx run bllvm-protocol:build',
  '   Compiling bllvm-protocol v0.1.0 (/src/bllvm-protocol)',
  'warning: unused import: `fmt`',
  'error[E0425]: cannot find function `check_coinbase` in crate `consensus`',
  '   --> src/lib.rs:200:16',
  'error: could not compile `bllvm-protocol` (lib) due to 1 previous error',
  '',
  '> nx run bllvm-node:test',
  'test tests::it_works ... FAILED',
  "thread 'tests::it_works' panicked at src/lib.rs:10:5:",
  'test result: FAILED. 0 passed; 1 failed',
  '',
  ' NX   Running targets build, test for 3 projects failed',
  'error: this summary line is nobody\'s',
].join('\n');

describe('the first error of each task', () => {
  it('splits Nx static output into each task\'s block', () => {
    const blocks = taskBlocks(OUTPUT);
    expect([...blocks.keys()]).toEqual(['bllvm-consensus:build', 'bllvm-protocol:build', 'bllvm-node:test']);
    expect(blocks.get('bllvm-consensus:build')).toContain('    Finished release');
    expect(blocks.get('bllvm-node:test')).not.toContain("error: this summary line is nobody's");
  });

  it("prefers cargo's error line over its summary, then a panic, then a failed test result", () => {
    const blocks = taskBlocks(OUTPUT);
    expect(firstErrorLine(blocks.get('bllvm-protocol:build')!)).toBe('error[E0425]: cannot find function `check_coinbase` in crate `consensus`');
    expect(firstErrorLine(blocks.get('bllvm-node:test')!)).toBe("thread 'tests::it_works' panicked at src/lib.rs:10:5:");
    expect(firstErrorLine(['error: could not compile `x`', 'error: linker `cc` not found'])).toBe('error: linker `cc` not found');
    expect(firstErrorLine(['all good'])).toBeUndefined();
  });

  it('bounds a long line', () => {
    const line = firstErrorLine([`error: ${'x'.repeat(1000)}`])!;
    expect(line).toHaveLength(300);
    expect(line.endsWith('…')).toBe(true);
  });
});
