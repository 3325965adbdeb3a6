import { execSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cargoHomeMounts, prepareRegistryHome } from './cargo-home';
import { hermeticEnv } from './env';
import { sandboxLimits } from './limits';
import { runInSandbox, rustSysroot } from './run';
import type { SandboxSpec } from './sandbox';

// The sandbox's boundary, tried from inside with a shell: what a build script could do with no
// crate around it. Each case is one route out that must stay closed.

let dir: string;
let ro: string;
let target: string;
let registry: string;

const spec = async (script: string, extra: Partial<SandboxSpec> = {}): Promise<SandboxSpec> => ({
  sysroot: await rustSysroot(),
  mounts: [
    { host: ro, at: '/src/upstream' },
    { host: target, at: '/target', writable: true },
    ...cargoHomeMounts(registry, 'read', 8),
  ],
  cwd: '/src/upstream',
  env: hermeticEnv({}),
  argv: ['/bin/sh', '-c', script],
  ...extra,
});
const run = async (script: string, limits = {}, extra: Partial<SandboxSpec> = {}) =>
  runInSandbox(await spec(script, extra), { stdout: 'pipe', stderr: 'pipe', limits: sandboxLimits({ tmpMiB: 8, ...limits }) });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bllvm-boundary-'));
  ro = join(dir, 'upstream');
  target = join(dir, 'target');
  registry = join(dir, 'registry-home');
  await mkdir(join(ro, '.git'), { recursive: true });
  await writeFile(join(ro, '.git', 'config'), '[core]\n');
  await mkdir(target);
  await prepareRegistryHome(registry);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the build sandbox boundary', () => {
  it('runs as uid 1000 with no capability, and cannot remount a read-only checkout, /usr or the toolchain read-write', async () => {
    const r = await run(
      'id -u; grep CapEff /proc/self/status; for m in /src/upstream /usr /toolchain; do mount -o remount,rw,bind $m 2>/dev/null && echo "remounted $m"; done; ' +
        'printf "[core]\\n\\tfsmonitor = /tmp/x\\n" >> /src/upstream/.git/config 2>/dev/null && echo wrote-git; unshare -Urm true 2>/dev/null && echo new-userns; true',
    );
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toMatch(/^1000\nCapEff:\s+0+$/);
    expect(await readFile(join(ro, '.git', 'config'), 'utf8')).toBe('[core]\n');
  });

  it('gives the cargo home as a fresh tmpfs: what one run writes there is gone for the next, and the registry cache is read-only', async () => {
    const first = await run('printf "[build]\\nrustc-wrapper = \\"/cargo-home/w\\"\\n" > /cargo-home/config.toml && echo planted; touch /cargo-home/registry/x 2>/dev/null && echo cache-written; true');
    expect(String(first.stdout)).toBe('planted');
    const second = await run('ls -A /cargo-home');
    expect(String(second.stdout).split('\n').filter(Boolean).sort()).toEqual(['git', 'registry']);
    expect(await readdir(registry)).toEqual(expect.arrayContaining(['git', 'registry']));
    expect(await readdir(join(registry, 'registry'))).toEqual([]);
  });

  it('ends every process a command left behind before it returns', async () => {
    const r = await run('setsid sh -c "sleep 300" </dev/null >/dev/null 2>&1 & echo started');
    expect(String(r.stdout)).toBe('started');
    expect(execSync('ps -eo args').toString()).not.toMatch(/^sh -c sleep 300$/m);
  });

  it('stops a task at its process limit, naming it', async () => {
    const r = await run('i=0; while [ $i -lt 200 ]; do sleep 30 & i=$((i+1)); done; wait', { processes: 32 });
    expect(r.limitHit).toBe('process');
    expect(execSync('ps -eo args').toString()).not.toMatch(/^sleep 30$/m);
  });

  it('stops one file at the disk limit however fast it is written, and names the limit', async () => {
    const r = await run('head -c 67108864 /dev/zero > /target/one; echo "exit $?"; ls -l /target/one | awk "{print \\$5}"', { diskMiB: 16 });
    expect(String(r.stdout).split('\n')[1]).toBe(String(16 * 1024 * 1024 + 512));
    expect(r.limitHit).toBe('disk');
    await rm(join(target, 'one'));
  });

  it('stops a task that fills its target dir past its disk limit', async () => {
    const r = await run('i=0; while [ $i -lt 400 ]; do head -c 1048576 /dev/zero > /target/f$i || exit 1; i=$((i+1)); sleep 0.02; done', { diskMiB: 16 });
    expect(r.limitHit).toBe('disk');
    await rm(target, { recursive: true, force: true });
    await mkdir(target);
  });

  it('bounds /tmp by its size and fails a task that filled it, and stops a task at its wall time', async () => {
    const tmp = await run('head -c 16777216 /dev/zero > /tmp/big; echo "exit $?"; ls -l /tmp/big | awk "{print \\$5}"');
    expect(String(tmp.stdout)).toBe('exit 1\n8388608');
    expect(tmp.limitHit).toBe('tmp');
    const half = await run('head -c 4194304 /dev/zero > /tmp/half');
    expect(half.exitCode).toBe(0);
    expect(half.limitHit).toBeUndefined();
    const slow = await run('sleep 30', { wallSeconds: 1 });
    expect(slow.limitHit).toBe('time');
  });

  it('stops a task at its memory limit', async () => {
    const r = await run('head -c 104857600 /dev/zero > /dev/shm/fill 2>/dev/null || head -c 104857600 /dev/zero | tail > /dev/null', { memoryMiB: 32 });
    expect(r.limitHit).toBe('memory');
  });
});
