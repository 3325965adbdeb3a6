import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageMetadata } from './package-metadata';

// Real cargo in the build sandbox over checkouts side by side.
let work: string;
const crate = (name: string, extra = '') => `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${extra}`;

async function checkout(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(work, 'sources', name);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'package-metadata-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

describe('packageMetadata', () => {
  it('mounts a sibling that only a workspace member names, when cargo asks for it (it opens the path dependencies of a member)', async () => {
    const far = await checkout('far', { 'Cargo.toml': crate('far'), 'src/lib.rs': '' });
    // Not named by any manifest here: never needed.
    const unrelated = await checkout('unrelated', { 'Cargo.toml': 'not toml [', 'src/lib.rs': '' });
    const ws = await checkout('ws', {
      'Cargo.toml': crate('ws', '[workspace]\nmembers = ["m"]\n'),
      'src/lib.rs': '',
      'm/Cargo.toml': crate('m', '[dependencies]\nfar = { path = "../../far" }\n'),
      'm/src/lib.rs': '',
    });
    const checkouts = [far, unrelated, ws].map((dir) => ({ dir, crateDir: '.' }));
    const r = await packageMetadata({ dir: ws, crateDir: '.', checkouts });
    expect(r.ok ? r.meta.packages.map((p) => p.name).sort() : r.stderr).toEqual(['m', 'ws']);
  }, 60_000);
});
