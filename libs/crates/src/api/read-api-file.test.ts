import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from './fixture';
import { readRustdocApiFile } from './read-api-file';
import { ApiReadError } from './rustdoc-json';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'api-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readRustdocApiFile', () => {
  it('reads a rustdoc JSON file into the public API, naming the file as its source', async () => {
    const api = await readRustdocApiFile(fixturePath('base'));
    expect(api).toMatchObject({ crate: 'gate', source: fixturePath('base') });
    expect(api.items.some((i) => i.path === 'gate::add')).toBe(true);
  });

  it('refuses a file over the size bound before reading it', async () => {
    await expect(readRustdocApiFile(fixturePath('base'), { maxBytes: 1000 })).rejects.toThrow(/: \d+ bytes, over the 1000 a rustdoc JSON file may have$/);
  });

  it('refuses what is not JSON, a folder and a missing file, each with the path', async () => {
    await writeFile(join(dir, 'bad.json'), '{"format_version": 57,');
    await expect(readRustdocApiFile(join(dir, 'bad.json'))).rejects.toThrow(new RegExp(`^${join(dir, 'bad.json')}: not JSON \\(`));
    await expect(readRustdocApiFile(dir)).rejects.toThrow(`${dir}: not a regular file`);
    await expect(readRustdocApiFile(join(dir, 'none.json'))).rejects.toThrow(`${join(dir, 'none.json')}: cannot be read (ENOENT)`);
    await expect(readRustdocApiFile(join(dir, 'none.json'))).rejects.toBeInstanceOf(ApiReadError);
  });
});
