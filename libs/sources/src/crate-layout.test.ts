import { describe, expect, it } from 'vitest';
import { chooseCrate } from './crate-layout';

const pkg = (name: string, extra = '') => `[package]\nname = "${name}"\nversion = "0.1.0"\n${extra}`;
const choose = (repo: string, tree: Record<string, string>, crateDir?: string) => chooseCrate(repo, Object.keys(tree), (p) => tree[p], crateDir);

describe('chooseCrate', () => {
  it('takes the root package, a library unless it has a binary, and lists the example manifests beside it', () => {
    expect(choose('blvm-node', { 'Cargo.toml': pkg('blvm-node'), 'src/lib.rs': '', 'examples/simple-module/Cargo.toml': pkg('simple-module') })).toEqual({
      ok: true,
      layout: { dir: '.', name: 'blvm-node', kind: 'library', others: ['examples/simple-module/Cargo.toml'] },
    });
    expect(choose('blvm', { 'Cargo.toml': pkg('blvm'), 'src/main.rs': '' })).toMatchObject({ ok: true, layout: { kind: 'binary' } });
    expect(choose('sdk', { 'Cargo.toml': pkg('sdk'), 'src/lib.rs': '', 'src/bin/keygen.rs': '' })).toMatchObject({ ok: true, layout: { kind: 'binary' } });
    expect(choose('app', { 'Cargo.toml': pkg('app', '[[bin]]\nname = "x"\npath = "x.rs"\n') })).toMatchObject({ ok: true, layout: { kind: 'binary' } });
  });

  it('finds the crate one folder down when the root has none, preferring the folder named after the repository', () => {
    const tree = { 'README.md': '', 'bllvm-commons/Cargo.toml': pkg('bllvm-commons'), 'bllvm-commons/src/main.rs': '', 'fuzz/Cargo.toml': pkg('fuzz') };
    expect(choose('bllvm-commons', tree)).toMatchObject({ ok: true, layout: { dir: 'bllvm-commons', name: 'bllvm-commons', kind: 'binary' } });
    const two = { 'a/Cargo.toml': pkg('a'), 'b/Cargo.toml': pkg('b') };
    expect(choose('repo', two)).toEqual({ ok: false, problem: "no package at the root and several one folder down (a, b); name the crate's folder with --crate-dir" });
    expect(choose('repo', two, 'b')).toMatchObject({ ok: true, layout: { dir: 'b', name: 'b' } });
  });

  it('says what is missing: no package at all, or none where --crate-dir points', () => {
    expect(choose('r', { 'README.md': '', 'Cargo.toml': '[workspace]\nmembers = []\n' })).toEqual({ ok: false, problem: 'no Cargo.toml with a [package] in the repository' });
    expect(choose('r', { 'Cargo.toml': pkg('r') }, 'sub')).toEqual({ ok: false, problem: 'no package in sub/Cargo.toml' });
    expect(choose('r', { 'Cargo.toml': 'not = [toml' })).toEqual({ ok: false, problem: 'no Cargo.toml with a [package] in the repository' });
  });
});
