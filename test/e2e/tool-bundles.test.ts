import { stripVTControlCharacters } from 'node:util';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WorkspaceCopy, copyWorkspace } from '@bllvm/demo';

// The CLI and the executors are TypeScript run as esbuild bundles that Nx builds (the `bundle`
// targets of cli and nx-plugin). A fresh clone has no bundle; nobody may run stale code.
let ws: WorkspaceCopy;
beforeAll(async () => {
  ws = await copyWorkspace('bllvm-bundles-');
}, 120_000);
afterAll(async () => ws?.remove());

// A module every executor loads; logs, per Nx task process, what it required.
const PRELOAD = `if (process.argv.some((a) => a.endsWith('run-executor.js'))) {
  const Module = require('node:module'); const fs = require('node:fs'); const seen = new Set();
  const load = Module._load;
  Module._load = function (request) { seen.add(request); return load.apply(this, arguments); };
  process.on('exit', () => fs.appendFileSync(process.env.LOADS_LOG, JSON.stringify([...seen]) + '\\n'));
}`;

describe('the tool bundles', () => {
  it('a fresh clone runs the CLI with no build step: the first call builds it through Nx', async () => {
    expect(existsSync(join(ws.dir, 'tools/ship/cli/dist'))).toBe(false);
    const r = await ws.cli('--help');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^usage: bllvm-release <command>/);
    expect(existsSync(join(ws.dir, 'tools/ship/cli/dist/bllvm-release.cjs'))).toBe(true);
    // The next call runs the bundle without asking Nx: Nx's run record is not rewritten.
    const record = await readFile(join(ws.dir, '.nx/cache/run.json'), 'utf8');
    expect((await ws.cli('--help')).exitCode).toBe(0);
    expect(await readFile(join(ws.dir, '.nx/cache/run.json'), 'utf8')).toBe(record);
  });

  it('picks up a source change on the next call, and refuses to run old code when the sources do not compile', async () => {
    const file = join(ws.dir, 'tools/ship/cli/src/commands/plan.ts');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace("summary: 'show which components", "summary: 'EDITED show which components"));
    const edited = await ws.cli('--help');
    expect(edited.exitCode, edited.stderr).toBe(0);
    expect(edited.stdout).toContain('EDITED show which components');

    await writeFile(file, `${original}\nexport const = broken;\n`);
    const broken = await ws.cli('--help');
    expect(broken.exitCode).not.toBe(0);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toMatch(/bllvm-release: cannot build cli \(tools\/ship\/cli\/src\/commands\/plan\.ts changed\)/);
    expect(broken.stderr).toMatch(/tools\/ship\/cli\/src\/commands\/plan\.ts:\d+:\d+/);
    // Still refused on the next try: the failed build did not make the old bundle current.
    expect((await ws.cli('--help')).exitCode).not.toBe(0);

    // Back to the original: Nx restores the bundle from its cache.
    await writeFile(file, original);
    const back = await ws.cli('--help');
    expect(back.exitCode, back.stderr).toBe(0);
    expect(back.stdout).not.toContain('EDITED');
  });

  it('Nx builds the plugin before any task that runs one of its executors, and a task process loads no TypeScript', async () => {
    const graph = await ws.nx('run', 'release-set:graph-check', '--graph=stdout');
    expect(graph.exitCode, graph.stderr).toBe(0);
    const deps = (JSON.parse(graph.stdout) as { tasks: { dependencies: Record<string, string[]> } }).tasks.dependencies;
    expect(deps['release-set:graph-check']).toEqual(['nx-plugin:bundle']);

    expect(existsSync(join(ws.dir, 'tools/ship/nx-plugin/dist'))).toBe(false);
    const preload = join(ws.dir, '..', 'loads.cjs');
    const log = join(ws.dir, '..', 'loads.jsonl');
    await writeFile(preload, PRELOAD);
    // Nowhere to fetch the pins from: the executor loads, runs, and fails fast, offline.
    Object.assign(ws.env, { NODE_OPTIONS: `--require ${preload}`, LOADS_LOG: log, BLLVM_GIT_BASE_URL: `file://${ws.dir}/../no-such-org/`, BLLVM_WORK_DIR: join(ws.dir, '.bllvm') });
    const r = await ws.nx('run', 'release-set:graph-check', '--outputStyle=static');
    for (const k of ['NODE_OPTIONS', 'LOADS_LOG', 'BLLVM_GIT_BASE_URL', 'BLLVM_WORK_DIR']) delete ws.env[k];
    // Nx colours its output when CI is set, even into a pipe.
    const shown = stripVTControlCharacters(r.stdout);
    expect(shown).toMatch(/nx run nx-plugin:bundle/);
    expect(shown).toMatch(/nx run release-set:graph-check/);
    expect(existsSync(join(ws.dir, 'tools/ship/nx-plugin/dist/graph-check.cjs'))).toBe(true);
    const processes = (await readFile(log, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
    const executor = processes.filter((loads) => loads.some((m) => m.endsWith('tools/ship/nx-plugin/dist/graph-check.cjs')));
    expect(executor, 'one task process ran the built executor').toHaveLength(1);
    expect(executor[0]!.filter((m) => /^typescript$|@swc-node|@swc\/core|ts-node|tsconfig-paths|\.ts$/.test(m))).toEqual([]);
  });
});
