import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manifestTree } from './manifest-tree';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the manifest-only tree the dependency step and the resolve run on', () => {
  it('keeps manifests and locks, empties every other file, and leaves out .git, .cargo and where symlinks lead', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bllvm-manifest-tree-'));
    const from = join(dir, 'checkout');
    await mkdir(join(from, 'src', 'bin'), { recursive: true });
    await mkdir(join(from, '.git', 'hooks'), { recursive: true });
    await mkdir(join(from, '.cargo'), { recursive: true });
    await mkdir(join(from, 'crates', 'inner', '.cargo'), { recursive: true });
    await writeFile(join(from, 'Cargo.toml'), '[package]\nname = "x"\n');
    await writeFile(join(from, 'Cargo.lock'), 'version = 3\n');
    await writeFile(join(from, 'build.rs'), 'fn main() { std::process::Command::new("evil").status().ok(); }');
    await writeFile(join(from, 'src', 'bin', 'tool.rs'), 'fn main() {}');
    await writeFile(join(from, '.cargo', 'config.toml'), '[build]\nrustc-wrapper = "./w.sh"\n');
    await writeFile(join(from, 'crates', 'inner', 'Cargo.toml'), '[package]\nname = "inner"\n');
    await writeFile(join(from, 'crates', 'inner', '.cargo', 'config'), '[build]\nrustc = "/x"\n');
    await writeFile(join(from, '.git', 'config'), '[core]\n');
    await writeFile(join(dir, 'host-secret'), 'SECRET');
    await symlink(join(dir, 'host-secret'), join(from, 'src', 'lib.rs'));
    const to = join(dir, 'copy');
    await manifestTree(from, to);
    expect((await readdir(to)).sort()).toEqual(['Cargo.lock', 'Cargo.toml', 'build.rs', 'crates', 'src']);
    expect(await readdir(join(to, 'crates', 'inner'))).toEqual(['Cargo.toml']);
    expect(await readFile(join(to, 'Cargo.toml'), 'utf8')).toBe('[package]\nname = "x"\n');
    expect(await readFile(join(to, 'Cargo.lock'), 'utf8')).toBe('version = 3\n');
    expect(await readFile(join(to, 'build.rs'), 'utf8')).toBe('');
    expect(await readFile(join(to, 'src', 'bin', 'tool.rs'), 'utf8')).toBe('');
    // A symlink is an empty plain file: neither the link nor what it pointed at is in the copy.
    const lib = await stat(join(to, 'src', 'lib.rs'));
    expect(lib.isFile() && lib.size === 0).toBe(true);
    // Copies, not hard links: writing the copy can never write the checkout.
    expect((await stat(join(to, 'Cargo.toml'))).ino).not.toBe((await stat(join(from, 'Cargo.toml'))).ino);
  });
});
