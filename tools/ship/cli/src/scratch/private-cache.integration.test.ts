import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedPrivateCache } from './private-cache';

let dir: string;
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('a private copy of the shared Nx cache', () => {
  it('holds every entry and the index, and what is written to it never reaches the shared one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bllvm-private-cache-'));
    const shared = { directory: join(dir, 'shared', 'cache'), workspaceData: join(dir, 'shared', 'data') };
    await mkdir(join(shared.directory, '123', 'outputs'), { recursive: true });
    await writeFile(join(shared.directory, '123', 'outputs', 'bin'), 'built by main');
    await writeFile(join(shared.directory, '123', 'code'), '0');
    await writeFile(join(shared.directory, 'run.lock'), '');
    await mkdir(shared.workspaceData, { recursive: true });
    for (const f of ['abc-v4.db', 'abc-v4.db-wal', 'project-graph.json']) await writeFile(join(shared.workspaceData, f), f);

    const copy = await seedPrivateCache(shared, join(dir, 'scratch'));
    expect(copy.entries).toBe(1);
    expect(await readdir(copy.directory)).toEqual(['123']);
    expect((await readdir(copy.workspaceData)).sort()).toEqual(['abc-v4.db', 'abc-v4.db-wal']);
    expect(await readFile(join(copy.directory, '123', 'outputs', 'bin'), 'utf8')).toBe('built by main');

    await writeFile(join(copy.directory, '123', 'outputs', 'bin'), 'overwritten by a trial');
    await mkdir(join(copy.directory, '456'));
    await writeFile(join(copy.workspaceData, 'abc-v4.db'), 'indexed by a trial');
    expect(await readFile(join(shared.directory, '123', 'outputs', 'bin'), 'utf8')).toBe('built by main');
    expect((await readdir(shared.directory)).sort()).toEqual(['123', 'run.lock']);
    expect(await readFile(join(shared.workspaceData, 'abc-v4.db'), 'utf8')).toBe('abc-v4.db');
  });

  it('starts empty when there is no shared cache yet', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bllvm-private-cache-'));
    const copy = await seedPrivateCache({ directory: join(dir, 'none'), workspaceData: join(dir, 'none-data') }, join(dir, 'scratch'));
    expect(copy.entries).toBe(0);
    expect(await readdir(copy.directory)).toEqual([]);
  });
});
