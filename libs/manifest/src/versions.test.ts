import { describe, expect, it } from 'vitest';
import { ManifestError, ManifestErrors } from './errors';
import { parseVersions } from './versions';

const GOOD = `
[versions]
bllvm-consensus = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "" }
bllvm-protocol  = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "", requires = ["bllvm-consensus=0.1.0"] }
bllvm = { version = "0.2.0", git_tag = "v0.2.0", git_commit = "${'a'.repeat(40)}", requires = ["bllvm-protocol=0.1.0"], binaries = ["bllvm"] }
[metadata]
last_updated = "2025-11-17"
updated_by = "someone"
release_notes = "x"
`;

function errorOf(text: string): string {
  try {
    parseVersions(text, 'versions.toml');
  } catch (e) {
    expect(e instanceof ManifestError || e instanceof ManifestErrors).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected the file to be rejected');
}

const entry = (fields: string) => `[versions]\nbllvm-consensus = { ${fields} }\n`;

describe('parseVersions', () => {
  it('reads the real schema and gives a topological build order', () => {
    const v = parseVersions(GOOD, 'versions.toml');
    expect(v.buildOrder).toEqual(['bllvm-consensus', 'bllvm-protocol', 'bllvm']);
    expect(v.entries['bllvm']).toEqual({
      name: 'bllvm',
      version: '0.2.0',
      gitTag: 'v0.2.0',
      gitCommit: 'a'.repeat(40),
      requires: { 'bllvm-protocol': '0.1.0' },
      binaries: ['bllvm'],
    });
    expect(v.entries['bllvm-consensus']!.gitCommit).toBeUndefined();
    expect(v.metadata['updated_by']).toBe('someone');
    expect(v.warnings).toEqual([]);
  });

  it('tolerates the later [versions.develop] and [modules] tables with warnings', () => {
    const v = parseVersions(`${GOOD}\n[versions.develop]\nfoo = "bar"\n[modules]\nx = { version = "1" }\n`, 'versions.toml');
    expect(v.warnings).toHaveLength(2);
    expect(v.warnings.join('\n')).toMatch(/\[versions\.develop\].*ignored/);
    expect(v.warnings.join('\n')).toMatch(/\[modules\].*ignored/);
    expect(Object.keys(v.entries)).toEqual(['bllvm-consensus', 'bllvm-protocol', 'bllvm']);
  });

  it.each([
    ['bad TOML (unclosed table)', '[versions\n', /versions\.toml:1:\d+: invalid TOML/],
    ['bad TOML on a later line', '[versions]\nbllvm = { version = "0.1.0", git_tag = }\n', /versions\.toml:2:\d+: invalid TOML/],
    ['duplicate keys', '[versions]\na = { version = "0.1.0", git_tag = "v0.1.0" }\na = { version = "0.1.0", git_tag = "v0.1.0" }\n', /invalid TOML/],
    ['missing [versions]', '[metadata]\nx = "y"\n', /missing \[versions\] table/],
    ['missing version', entry('git_tag = "v0.1.0"'), /versions\.bllvm-consensus\.version: missing/],
    ['version 1.2', entry('version = "1.2", git_tag = "v1.2"'), /"1\.2" is not a strict X\.Y\.Z version/],
    ['version v1.2.3', entry('version = "v1.2.3", git_tag = "v1.2.3"'), /"v1\.2\.3" is not a strict X\.Y\.Z/],
    ['version 1.2.3.4', entry('version = "1.2.3.4", git_tag = "v1"'), /"1\.2\.3\.4" is not a strict/],
    ['version with leading zero', entry('version = "01.2.3", git_tag = "v1"'), /"01\.2\.3" is not a strict/],
    ['version as a number', entry('version = 1, git_tag = "v1"'), /version: must be a string, found number/],
    ['missing git_tag', entry('version = "0.1.0"'), /git_tag: missing/],
    ['non-hex git_commit', entry(`version = "0.1.0", git_tag = "v0.1.0", git_commit = "${'g'.repeat(40)}"`), /git_commit: ".*" is not empty or a 40-character/],
    ['short git_commit', entry('version = "0.1.0", git_tag = "v0.1.0", git_commit = "abc123"'), /git_commit: "abc123"/],
    ['git_tag with shell metacharacters', entry('version = "0.1.0", git_tag = "v0.1.0; rm -rf /"'), /git_tag: tag ".*" contains characters outside/],
    ['git_tag starting with a dash', entry('version = "0.1.0", git_tag = "-x"'), /starts with "-"/],
    ['unknown field', entry('version = "0.1.0", git_tag = "v0.1.0", gitcommit = ""'), /versions\.bllvm-consensus\.gitcommit: unknown field/],
    ['requires not name=version', entry('version = "0.1.0", git_tag = "v0.1.0", requires = ["bllvm-node"]'), /item "bllvm-node" is not "name=version"/],
    ['requires not an array', entry('version = "0.1.0", git_tag = "v0.1.0", requires = "x=1.0.0"'), /requires: must be an array/],
    ['binaries not strings', entry('version = "0.1.0", git_tag = "v0.1.0", binaries = [1]'), /binaries: number is not a valid binary name/],
    ['undefined dependency', entry('version = "0.1.0", git_tag = "v0.1.0", requires = ["bllvm-ghost=0.1.0"]'), /requires undefined component "bllvm-ghost"/],
    ['required version disagrees', `[versions]\na = { version = "0.1.0", git_tag = "v0.1.0" }\nb = { version = "0.1.0", git_tag = "v0.1.0", requires = ["a=0.2.0"] }\n`, /requires a=0\.2\.0 but a is at version 0\.1\.0/],
    ['a cycle', `[versions]\na = { version = "0.1.0", git_tag = "v0.1.0", requires = ["b=0.1.0"] }\nb = { version = "0.1.0", git_tag = "v0.1.0", requires = ["a=0.1.0"] }\n`, /dependency cycle: a -> b -> a/],
    ['self dependency', entry('version = "0.1.0", git_tag = "v0.1.0", requires = ["bllvm-consensus=0.1.0"]'), /requires itself/],
    ['a component name with a look-alike character', `[versions]\n"bllvm-c\u043ensensus" = { version = "0.1.0", git_tag = "v0.1.0" }\n`, /not a valid component name/],
    ['unknown top-level table', `${GOOD}\n[extra]\nx = 1\n`, /extra: unknown top-level key/],
    ['entry that is not a table', '[versions]\nbllvm = "0.1.0"\n', /versions\.bllvm: must be a table, found string/],
  ])('rejects %s', (_name, text, message) => {
    expect(errorOf(text)).toMatch(message);
  });

  it('names the line of a semantic error', () => {
    const text = '[versions]\nbllvm-consensus = { version = "0.1.0", git_tag = "v0.1.0" }\nbllvm = { version = "1.2", git_tag = "v1.2" }\n';
    expect(errorOf(text)).toMatch(/^versions\.toml:3: versions\.bllvm\.version:/);
  });

  it('reports every problem at once', () => {
    const text = '[versions]\na = { version = "1.2", git_tag = "v1" }\nb = { git_tag = "v1" }\n';
    const msg = errorOf(text);
    expect(msg.split('\n')).toHaveLength(2);
  });

  it('rejects huge files before parsing them', () => {
    expect(errorOf('#'.repeat(2 * 1024 * 1024))).toMatch(/larger than/);
  });
});
