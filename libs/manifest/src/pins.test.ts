import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPin, parsePin, readPin, writePin } from './pins';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const pin = (fields: Record<string, string>) =>
  Object.entries({ repository: '"BTCDecoded/bllvm-node"', branch: '"main"', commit: `"${SHA}"`, ...fields })
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n');

function errorOf(text: string): string {
  try {
    parsePin(text, 'apps/bllvm-node/pin.toml');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the pin to be rejected');
}

describe('pins', () => {
  it('round-trips through format and parse', () => {
    const p = { repository: 'BTCDecoded/bllvm-node', branch: 'release/0.1', commit: SHA };
    expect(parsePin(formatPin(p), 'x')).toEqual(p);
  });

  it('round-trips where the crate is, what it is called and what it was called', () => {
    const p = { repository: 'BTCDecoded/blvm-commons', branch: 'main', commit: SHA, crate: 'blvm-commons', crateDir: 'blvm-commons', formerNames: ['bllvm-commons', 'bllvm-governance'] };
    expect(parsePin(formatPin(p), 'x')).toEqual(p);
    expect(parsePin(pin({ 'crate-dir': '"."' }), 'x').crateDir, 'the root is the default, not a value').toBeUndefined();
  });

  it.each([
    ['a non-hex commit', { commit: `"${'z'.repeat(40)}"` }, /pin\.toml:3: commit: "z+" is not a 40-character lowercase hex commit/],
    ['an uppercase commit', { commit: `"${SHA.toUpperCase()}"` }, /is not a 40-character lowercase hex/],
    ['a short commit', { commit: '"0123456"' }, /"0123456" is not a 40-character/],
    ['a branch with shell metacharacters', { branch: '"main; rm -rf /"' }, /branch: branch "main; rm -rf \/" contains characters outside/],
    ['a branch with $(...)', { branch: '"$(curl x)"' }, /contains characters outside/],
    ['a branch with ..', { branch: '"a/../b"' }, /contains "\.\."/],
    ['a branch starting with -', { branch: '"-x"' }, /starts with "-"/],
    ['a repository without owner', { repository: '"bllvm-node"' }, /repository: "bllvm-node" is not of the form owner\/name/],
    ['a repository with a path traversal', { repository: '"BTCDecoded/../x"' }, /not a repository name|not of the form/],
    ['an unknown key', { comit: '"x"' }, /unknown key "comit"/],
    ['a missing commit', { commit: '' }, /commit: missing/],
    ['a commit of the wrong type', { commit: '42' }, /commit: must be a string, found number/],
    ['bad TOML', { commit: '"abc' }, /pin\.toml:3:\d+: invalid TOML/],
    ['a crate-dir leaving the repository', { 'crate-dir': '"../other"' }, /crate-dir: "\.\.\/other" is not a relative folder inside the repository/],
    ['an absolute crate-dir', { 'crate-dir': '"/etc"' }, /crate-dir: "\/etc" is not a relative folder/],
    ['a crate name with a space', { crate: '"blvm node"' }, /crate: must be a crate name .* found "blvm node"/],
    ['former-names that are not a list of names', { 'former-names': '"bllvm-node"' }, /former-names: must be an array of up to 20 names/],
    ['a former name with a shell metacharacter', { 'former-names': '["a;b"]' }, /former-names: must be an array/],
  ])('rejects %s', (_n, fields, message) => {
    expect(errorOf(pin(fields))).toMatch(message);
  });

  it('writes atomically and never writes what it could not read back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pin-'));
    try {
      const file = join(dir, 'pin.toml');
      await writePin(file, { repository: 'BTCDecoded/bllvm', branch: 'main', commit: SHA });
      expect((await readPin(file)).commit).toBe(SHA);
      await expect(writePin(file, { repository: 'BTCDecoded/bllvm', branch: 'main', commit: 'nope' })).rejects.toThrow(/40-character/);
      expect(await readFile(file, 'utf8')).toContain(SHA);
      await expect(readPin(join(dir, 'missing.toml'))).rejects.toThrow(/missing\.toml: cannot read pin: ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
