import { describe, expect, it } from 'vitest';
import { cliCommand, shellWord } from './printed-commands';

describe('the commands the demo prints', () => {
  it('are the CLI through npm, as a checkout runs it, never a bllvm-release on the PATH', () => {
    expect(cliCommand(['verify', '/tmp/bllvm-seed-x/download/nightly-20261130-0123abc', '--keys', '/tmp/bllvm-seed-x/keys'])).toEqual({
      argv: ['npm', 'run', 'cli', '--', 'verify', '/tmp/bllvm-seed-x/download/nightly-20261130-0123abc', '--keys', '/tmp/bllvm-seed-x/keys'],
      line: 'npm run cli -- verify /tmp/bllvm-seed-x/download/nightly-20261130-0123abc --keys /tmp/bllvm-seed-x/keys',
    });
  });

  it.each([
    ['plain', 'a/b-c_d.e:f=g@h%i+j,k', 'a/b-c_d.e:f=g@h%i+j,k'],
    ['a space', 'my dir', "'my dir'"],
    ['a quote', "it's", "'it'\\''s'"],
    ['a substitution', '$(id)', "'$(id)'"],
    ['empty', '', "''"],
  ])('quote a word with %s so the shell reads it back as it is', (_n, word, quoted) => {
    expect(shellWord(word)).toBe(quoted);
  });
});
