import { describe, expect, it } from 'vitest';
import { fetchNeeded, lockedDownloads } from './fetch-needed';

const lock = (...packages: string[]) => `version = 4\n\n${packages.join('\n\n')}\n`;
const pkg = (name: string, version: string, source?: string) => `[[package]]\nname = "${name}"\nversion = "${version}"${source ? `\nsource = "${source}"\nchecksum = "${'0'.repeat(64)}"` : ''}`;

describe('lockedDownloads', () => {
  it('names the registry packages and skips the path ones', () => {
    expect(lockedDownloads(lock(pkg('me', '0.1.0'), pkg('serde', '1.0.200', 'registry+https://github.com/rust-lang/crates.io-index'), pkg('sha2', '0.10.8', 'sparse+http://127.0.0.1:4000/index/')))).toEqual([
      'serde-1.0.200.crate',
      'sha2-0.10.8.crate',
    ]);
    expect(lockedDownloads(lock(pkg('me', '0.1.0'), pkg('up', '0.2.0')))).toEqual([]);
  });
  it('cannot tell for a git package or a lock it cannot read', () => {
    expect(lockedDownloads(lock(pkg('x', '1.0.0', 'git+https://example.invalid/x#abc')))).toBeUndefined();
    expect(lockedDownloads('[[package]\nname =')).toBeUndefined();
    expect(lockedDownloads(lock('[[package]]\nname = "x"\nversion = 1\nsource = "registry+https://x"'))).toBeUndefined();
  });
});

describe('fetchNeeded', () => {
  it('is needed when anything is missing or unknown, not when the cache holds everything', () => {
    expect(fetchNeeded([], new Set())).toBe(false);
    expect(fetchNeeded(['a-1.0.0.crate'], new Set(['a-1.0.0.crate', 'b-2.0.0.crate']))).toBe(false);
    expect(fetchNeeded(['a-1.0.0.crate', 'c-1.0.0.crate'], new Set(['a-1.0.0.crate']))).toBe(true);
    expect(fetchNeeded(undefined, new Set(['a-1.0.0.crate']))).toBe(true);
  });
});
