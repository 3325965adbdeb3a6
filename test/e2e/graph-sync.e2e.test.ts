import { readFile, rm, writeFile } from 'node:fs/promises';
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

  it('refuses a build whose features the pinned crate does not define, before cargo builds, naming what it defines', async () => {
    const file = join(sw.ws.dir, 'apps/bllvm-consensus/project.json');
    const original = await readFile(file, 'utf8');
    const p = JSON.parse(original);
    p.targets.build.options.features = ['production', 'rocksdb', 'bllvm-nope/x'];
    await writeFile(file, JSON.stringify(p, null, 2));
    // Measure the metadata run itself: no facts cached.
    await rm(join(sw.ws.dir, '.bllvm', 'graph-facts'), { recursive: true, force: true });
    try {
      const r = await sw.ws.nx('run', 'bllvm-consensus:build', '--skip-nx-cache', '--outputStyle=static');
      const out = r.stdout + r.stderr;
      expect(r.exitCode, out).not.toBe(0);
      expect(out).toMatch(/bllvm-consensus@[0-9a-f]{7}: feature "rocksdb" is not defined by bllvm-consensus at this commit; it defines: [^\n]*production/);
      expect(out).toMatch(/feature "bllvm-nope\/x" forwards to "bllvm-nope", which is not a dependency of bllvm-consensus/);
      expect(out).toMatch(/build options checked against the pinned crate \(cargo metadata \d+ ms\)/);
      expect(out).not.toMatch(/Compiling bllvm-consensus/);
      console.log(out.match(/build options checked[^\n]*/)?.[0]);
    } finally {
      await writeFile(file, original);
    }
  }, 600_000);
});
