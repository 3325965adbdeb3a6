import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { linkCopy } from './cargo-metadata';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the copy cargo metadata runs on', () => {
  it("links the checkout's files and leaves out .git, which other tasks' git commands change meanwhile", async () => {
    dir = await mkdtemp(join(tmpdir(), 'bllvm-linkcopy-'));
    const from = join(dir, 'checkout');
    await mkdir(join(from, 'src'), { recursive: true });
    await mkdir(join(from, '.git', 'objects'), { recursive: true });
    await writeFile(join(from, 'Cargo.toml'), '[package]\nname = "x"\n');
    await writeFile(join(from, 'src', 'lib.rs'), '');
    await writeFile(join(from, '.git', 'index.lock'), 'a git status in another task');
    const to = join(dir, 'copy');
    await linkCopy(from, to);
    expect((await readdir(to)).sort()).toEqual(['Cargo.toml', 'src']);
    // Hard links, not copies: the same file, no bytes duplicated.
    expect((await stat(join(to, 'src', 'lib.rs'))).ino).toBe((await stat(join(from, 'src', 'lib.rs'))).ino);
  });
});
