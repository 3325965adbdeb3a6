import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { siblingFolders } from './siblings';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function checkout(files: Record<string, string>): Promise<string> {
  const sources = await mkdtemp(join(tmpdir(), 'siblings-'));
  dirs.push(sources);
  const dir = join(sources, 'blvm-consensus');
  for (const [f, text] of Object.entries(files)) {
    await mkdir(join(dir, f, '..'), { recursive: true });
    await writeFile(join(dir, f), text);
  }
  return dir;
}

describe('siblingFolders', () => {
  it('names every sibling a manifest points at, patch entries it does not depend on included, but not its own folders', async () => {
    const dir = await checkout({
      'Cargo.toml': [
        '[package]\nname = "blvm-consensus"\nversion = "0.1.0"',
        '[dependencies]\nblvm-primitives = { version = ">=0.1, <1" }\nlocal = { path = "crates/local" }',
        '[dev-dependencies]\nblvm-muhash = "0.1.0"',
        '[patch.crates-io]\nblvm-primitives = { path = "../blvm-primitives" }\nblvm-muhash = { path = "../blvm-muhash" }\nblvm-secp256k1 = { path = "../blvm-secp256k1" }',
      ].join('\n\n'),
    });
    expect(await siblingFolders(dir, '.')).toEqual(['blvm-muhash', 'blvm-primitives', 'blvm-secp256k1']);
  });

  it('resolves ../../ from a crate in a subfolder, and skips paths leaving the sources folder (containment reports those)', async () => {
    const dir = await checkout({
      'app/Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nblvm-sdk = { path = "../../blvm-sdk" }\nevil = { path = "../../../../etc" }\n',
    });
    expect(await siblingFolders(dir, 'app')).toEqual(['blvm-sdk']);
    expect(await siblingFolders(dir, 'missing')).toEqual([]);
  });
});
