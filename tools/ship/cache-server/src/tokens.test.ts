import { describe, expect, it } from 'vitest';
import { digestsOf, hashToken, parseTokensFile } from './tokens';

describe('tokens file', () => {
  it('hashes a token with sha256, hex', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('reads read and write digests, skipping blanks and comments', () => {
    const t = parseTokensFile(`# pull requests\nread ${hashToken('r1')}\n\n  write ${hashToken('w1').toUpperCase()}  # main only\nread ${hashToken('r2')}\n`);
    expect(t.read.map((b) => b.toString('hex'))).toEqual([hashToken('r1'), hashToken('r2')]);
    expect(t.write.map((b) => b.toString('hex'))).toEqual([hashToken('w1')]);
  });

  it('refuses a malformed line, naming the file and line, without echoing it', () => {
    expect(() => parseTokensFile(`read ${hashToken('a')}\nwrite my-plain-secret\n`, '/etc/cache/tokens')).toThrow(/\/etc\/cache\/tokens:2: not a token line/);
    try {
      parseTokensFile('write my-plain-secret\n');
    } catch (e) {
      expect((e as Error).message).not.toContain('my-plain-secret');
    }
    expect(() => parseTokensFile(`admin ${hashToken('a')}\n`)).toThrow(/:1: not a token line/);
  });

  it('refuses a file with no token at all', () => {
    expect(() => parseTokensFile('# nothing yet\n')).toThrow(/no token at all/);
  });

  it('digests tokens given in plain', () => {
    const t = digestsOf(['r'], ['w']);
    expect(t.read[0]!.toString('hex')).toBe(hashToken('r'));
    expect(t.write[0]!.toString('hex')).toBe(hashToken('w'));
  });
});
