import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInSandbox, rustSysroot } from './run';
import type { SandboxSpec } from './sandbox';

// A command's exit 125 (git bisect's "skip") or 1 ("bad") must not be confused with the launcher
// (125: it could not apply the limits) or bubblewrap (1: it could not set up the sandbox) failing.
// The launcher's own failure cannot be caused from outside (its limits and control group are
// ours); that bwrap then reports nothing, read as not started, is bwrap-status.test.ts's.
describe('runInSandbox tells a sandbox that never started the command from a command that exited', () => {
  let ws: string;
  beforeAll(async () => {
    ws = await mkdtemp(join(tmpdir(), 'bllvm-start-'));
  });
  afterAll(async () => {
    await rm(ws, { recursive: true, force: true });
  });

  const spec = async (over: Partial<SandboxSpec>): Promise<SandboxSpec> => ({ sysroot: await rustSysroot(), mounts: [], cwd: '/', env: {}, argv: ['/bin/sh', '-c', 'exit 0'], ...over });

  it('reports a command that exited 125 or 1 as started, with its exit code', async () => {
    for (const code of [125, 1, 0]) {
      const r = await runInSandbox(await spec({ argv: ['/bin/sh', '-c', `exit ${code}`] }), { stderr: 'pipe' });
      expect(r.exitCode, String(r.stderr)).toBe(code);
      expect(r.started, String(code)).toBe(true);
    }
  });

  it('reports a sandbox bubblewrap could not set up (no such cwd, no such mount source) as not started, with its reason', async () => {
    const noCwd = await runInSandbox(await spec({ cwd: '/nowhere', argv: ['/bin/sh', '-c', 'exit 125'] }), { stderr: 'pipe' });
    expect(noCwd.started).toBe(false);
    expect(noCwd.exitCode).toBe(1);
    expect(String(noCwd.stderr)).toMatch(/^bwrap: Can't chdir to \/nowhere/);

    const noSource = await runInSandbox(await spec({ mounts: [{ host: join(ws, 'missing'), at: '/data' }], argv: ['/bin/sh', '-c', 'exit 1'] }), { stderr: 'pipe' });
    expect(noSource.started).toBe(false);
    expect(noSource.exitCode).toBe(1);
    expect(String(noSource.stderr)).toMatch(/^bwrap: Can't find source path/);
  });

  it('reports a command killed at its wall time as started (bwrap, killed, reports no exit)', async () => {
    // Not the `sleep 30` boundary.integration.test.ts looks for on the whole machine, in parallel.
    const r = await runInSandbox(await spec({ argv: ['/bin/sh', '-c', 'sleep 61'] }), { stderr: 'pipe', timeoutMs: 1500 });
    expect(r.limitHit).toBe('time');
    expect(r.started).toBe(true);
  });
});
