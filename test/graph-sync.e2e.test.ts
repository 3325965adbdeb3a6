import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxWorkspace, createSandboxWorkspace } from '@bllvm/demo';

// The graph sync through Nx itself, on the sandbox stack: real repositories, checkouts and cargo.
let sw: SandboxWorkspace;

beforeAll(async () => {
  sw = await createSandboxWorkspace();
}, 600_000);
afterAll(async () => {
  await sw?.remove();
});

describe('nx sync keeps the component graph equal to the pinned manifests', () => {
  it('syncs the sandbox stack; a stale project.json fails sync:check, listing the difference, and nx sync fixes it', async () => {
    // The committed graph may lag the sandbox manifests (an edge covered only transitively): sync first.
    const first = await sw.ws.nx('sync');
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    const ok = await sw.ws.nx('sync:check');
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    const file = join(sw.ws.dir, 'apps/bllvm-sdk/project.json');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace(/"implicitDependencies": \[[^\]]*\]/, '"implicitDependencies": []'));

    // A global sync generator: tasks run without it (no cargo, no "out of sync" refusal).
    const tasks = await sw.ws.nx('run-many', '-t', 'bundle', '--outputStyle=static');
    expect(tasks.exitCode, tasks.stdout + tasks.stderr).toBe(0);
    expect(tasks.stdout + tasks.stderr).not.toMatch(/out of sync|graph-sync/);

    const stale = await sw.ws.nx('sync:check');
    expect(stale.exitCode).not.toBe(0);
    expect(stale.stdout + stale.stderr).toMatch(/apps\/bllvm-sdk\/project\.json: implicitDependencies none → bllvm-node: \+bllvm-node \(dependencies\.bllvm-node/);

    const fixed = await sw.ws.nx('sync');
    expect(fixed.exitCode, fixed.stdout + fixed.stderr).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8')).implicitDependencies).toEqual(['bllvm-node']);
    expect((await sw.ws.nx('sync:check')).exitCode).toBe(0);

    // graph-check reads the same derivation, from the cache: no cargo run for an unchanged stack.
    const check = await sw.ws.nx('run', 'release-set:graph-check', '--skip-nx-cache', '--outputStyle=static');
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/read 0 manifest set\(s\) with cargo/);
  }, 600_000);
});
