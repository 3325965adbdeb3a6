import { describe, expect, it } from 'vitest';
import { crateVersion } from './crate-version';

const pkg = (version: string) => `[package]\nname = "blvm-node"\n${version}\nedition = "2021"\n`;

describe('crateVersion: a new versions.toml entry\'s version, from the crate\'s Cargo.toml', () => {
  it('takes [package] version', () => {
    expect(crateVersion(pkg('version = "0.1.54"'))).toEqual({ version: '0.1.54' });
  });

  it('takes the workspace\'s version when the package inherits it, from the root manifest or its own', () => {
    const root = '[workspace]\nmembers = ["blvm-commons"]\n\n[workspace.package]\nversion = "0.3.2"\n';
    expect(crateVersion(pkg('version.workspace = true'), root)).toEqual({ version: '0.3.2' });
    expect(crateVersion(`${pkg('version = { workspace = true }')}\n[workspace.package]\nversion = "1.0.0"\n`)).toEqual({ version: '1.0.0' });
  });

  it('gives a develop pre-release the release it leads to, saying so', () => {
    expect(crateVersion(pkg('version = "0.1.6-dev.3+g1a2b"'))).toEqual({
      version: '0.1.6',
      note: 'its package.version "0.1.6-dev.3+g1a2b" is a pre-release; versions.toml gets the release it leads to, 0.1.6',
    });
  });

  it.each([
    ['no version', pkg(''), 'its Cargo.toml gives no package.version; versions.toml gets 0.1.0'],
    ['an inherited version the workspace does not give', pkg('version.workspace = true'), 'its Cargo.toml gives no workspace.package.version; versions.toml gets 0.1.0'],
    ['a version that is not one', pkg('version = "$(id)"'), 'its package.version "$(id)" is not a version; versions.toml gets 0.1.0'],
    ['a leading zero', pkg('version = "01.2.3"'), 'its package.version "01.2.3" is not a version; versions.toml gets 0.1.0'],
    ['a number', pkg('version = 1'), 'its package.version (a number) is not a version; versions.toml gets 0.1.0'],
    ['a manifest that is not TOML', '[package\nversion = "1.0.0"', 'its Cargo.toml gives no package.version; versions.toml gets 0.1.0'],
  ])('falls back to 0.1.0 with a note for %s', (_n, manifest, note) => {
    expect(crateVersion(manifest)).toEqual({ version: '0.1.0', note });
  });
});
