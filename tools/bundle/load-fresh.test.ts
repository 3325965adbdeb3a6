import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFresh } from './load-fresh.cjs';

const LOADER = join(import.meta.dirname, 'load-fresh.cjs');

// Each load runs in its own Node process, as the CLI and Nx's task processes do.
async function load(root: string): Promise<{ exitCode: number; value: string; stderr: string }> {
  const script = `const { loadFresh } = require(${JSON.stringify(LOADER)});
    const m = loadFresh('entry.ts', 'dist/entry.cjs', process.cwd());
    process.stdout.write(String(m.value()));`;
  const r = await execa(process.execPath, ['-e', script], { cwd: root, reject: false });
  return { exitCode: r.exitCode ?? 1, value: String(r.stdout), stderr: String(r.stderr) };
}

describe('loadFresh', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'bllvm-bundle-'));
    await writeFile(join(root, 'entry.ts'), "import { part } from './part';\nexport const value = (): string => `v-${part}`;\n");
    await writeFile(join(root, 'part.ts'), "export const part: string = 'one';\n");
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('builds the bundle on first use, records its inputs, and reuses it while they are unchanged', async () => {
    expect(isFresh(join(root, 'dist/entry.cjs'), root)).toBe(false);
    expect(await load(root)).toMatchObject({ exitCode: 0, value: 'v-one' });
    const sidecar = JSON.parse(await readFile(join(root, 'dist/entry.cjs.inputs.json'), 'utf8')) as { inputs: Record<string, string> };
    expect(Object.keys(sidecar.inputs)).toEqual(expect.arrayContaining(['entry.ts', 'part.ts']));
    expect(isFresh(join(root, 'dist/entry.cjs'), root)).toBe(true);

    // Reused: make the bundle's own text distinguishable; a rebuild would overwrite it.
    const bundle = join(root, 'dist/entry.cjs');
    const text = await readFile(bundle, 'utf8');
    const { mtime } = await import('node:fs').then((fs) => fs.statSync(bundle));
    await writeFile(bundle, text.replace('`v-${part}`', '`reused-${part}`'));
    await utimes(bundle, mtime, mtime);
    expect(await load(root)).toMatchObject({ exitCode: 0, value: 'reused-one' });
  });

  it('rebuilds when an imported file changes, so stale code never runs', async () => {
    expect((await load(root)).value).toBe('v-one');
    await writeFile(join(root, 'part.ts'), "export const part: string = 'two!';\n");
    expect(isFresh(join(root, 'dist/entry.cjs'), root)).toBe(false);
    expect((await load(root)).value).toBe('v-two!');
    expect(isFresh(join(root, 'dist/entry.cjs'), root)).toBe(true);
  });

  it('rebuilds when the record of inputs is missing or unreadable', async () => {
    await load(root);
    await writeFile(join(root, 'dist/entry.cjs.inputs.json'), '{ not json');
    expect(isFresh(join(root, 'dist/entry.cjs'), root)).toBe(false);
    expect(await load(root)).toMatchObject({ exitCode: 0, value: 'v-one' });
    expect(isFresh(join(root, 'dist/entry.cjs'), root)).toBe(true);
  });

  it('refuses to run the old bundle when the sources no longer compile, naming file and line', async () => {
    await load(root);
    await writeFile(join(root, 'part.ts'), "export const part: string = 'two';\nexport const = broken;\n");
    const r = await load(root);
    expect(r.exitCode).not.toBe(0);
    expect(r.value).toBe('');
    expect(r.stderr).toMatch(/cannot build dist\/entry\.cjs from entry\.ts:\n\s+part\.ts:2:\d+: /);
    // Still refused on the next try: the failed build did not mark the old bundle fresh.
    expect((await load(root)).exitCode).not.toBe(0);
  });

  it('still runs, from memory, when the bundle cannot be saved (read-only checkout, full disk)', async () => {
    await writeFile(join(root, 'dist'), 'a file where the dist folder should be');
    const r = await load(root);
    expect(r).toMatchObject({ exitCode: 0, value: 'v-one' });
    expect(r.stderr).toMatch(/note: cannot save dist\/entry\.cjs \(.*\); running it from memory/);
  });

  it('lets parallel processes build the same bundle at once, leaving one bundle and no temporary files', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => load(root)));
    expect(results.map((r) => `${r.exitCode}:${r.value}`)).toEqual(Array(4).fill('0:v-one'));
    expect((await readdir(join(root, 'dist'))).sort()).toEqual(['entry.cjs', 'entry.cjs.inputs.json']);
  });
});
