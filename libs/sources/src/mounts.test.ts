import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { afterAll, describe, expect, it } from 'vitest';
import { type ManifestRefs, dependencyNames, manifestRefs, missingFolders, reachableFolders } from './mounts';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const refs = (entries: Record<string, ManifestRefs>) => new Map(Object.entries(entries));
// a → b by path; b → c by crate name (a registry range the build patches); c → nothing; d, e unrelated.
const stack = refs({
  a: { name: 'a', folders: ['b'], deps: ['b'] },
  b: { name: 'b', folders: [], deps: ['c-crate', 'serde'] },
  c: { name: 'c-crate', folders: [], deps: [] },
  d: { name: 'd', folders: ['e'], deps: [] },
  e: { name: 'e', folders: [], deps: [] },
});

describe('reachableFolders', () => {
  it('follows path names and crate names through the stack, and nothing else', () => {
    expect(reachableFolders('a', stack, true)).toEqual(['a', 'b', 'c']);
    expect(reachableFolders('d', stack, true)).toEqual(['d', 'e']);
    expect(reachableFolders('c', stack, true)).toEqual(['c']);
  });

  it('stops at what the crate itself names when not transitive, and ignores folders outside the stack', () => {
    expect(reachableFolders('a', stack, false)).toEqual(['a', 'b']);
    expect(reachableFolders('x', refs({ x: { folders: ['not-a-checkout'], deps: [] } }), true)).toEqual(['x']);
  });
});

describe('missingFolders', () => {
  it('names the unmounted checkouts cargo asked for, by file or by crate name', () => {
    const stderr = 'failed to read `/src/d/Cargo.toml`\nno matching package named `c-crate` found\nfailed to read `/src/nowhere/x`\nfailed to read `/etc/passwd`';
    expect(missingFolders(stderr, stack, new Set(['a', 'b']))).toEqual(['c', 'd']);
    expect(missingFolders(stderr, stack, new Set(['a', 'b', 'c', 'd']))).toEqual([]);
  });
});

describe('manifestRefs', () => {
  it('reads the crate manifest and, for a crate in a subfolder, the root manifest', async () => {
    const sources = await mkdtemp(join(tmpdir(), 'mounts-'));
    dirs.push(sources);
    const dir = join(sources, 'blvm-commons');
    await mkdir(join(dir, 'app'), { recursive: true });
    await writeFile(join(dir, 'Cargo.toml'), '[workspace]\nmembers = ["app"]\n\n[patch.crates-io]\nblvm-sdk = { path = "../blvm-sdk" }\n');
    await writeFile(join(dir, 'app', 'Cargo.toml'), '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nnode = { package = "blvm-node", version = "0.1" }\nlocal = { path = "../local" }\n');
    expect(await manifestRefs(dir, 'app')).toEqual({ name: 'app', folders: ['blvm-sdk'], deps: ['blvm-node', 'local'] });
    expect(await manifestRefs(dir, 'missing')).toEqual({ folders: ['blvm-sdk'], deps: [] });
  });
});

describe('dependencyNames', () => {
  it('takes every dependency table, a renamed dependency by its package', () => {
    const doc = parse('[dependencies]\na = "1"\n[dev-dependencies]\nb = { package = "real-b", version = "1" }\n[target.\'cfg(unix)\'.build-dependencies]\nc = "1"\n[workspace.dependencies]\nd = "1"\n');
    expect(dependencyNames(doc).sort()).toEqual(['a', 'c', 'd', 'real-b']);
  });
});
