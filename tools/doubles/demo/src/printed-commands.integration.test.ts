import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliCommand } from './printed-commands';
import { WORKSPACE_ROOT } from './workspace-copy';

// The verify command the demo prints runs as printed: in a shell, from the checkout, with nothing on
// the PATH but node and the system's tools (a new user's, after the README's set-up). The folder
// here holds no release, so verify itself answers, naming what is missing (test/e2e/verify.e2e.test.ts
// runs it on a published one).
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'bllvm-printed-'));
});
afterAll(async () => rm(scratch, { recursive: true, force: true }));

it('runs the printed verify line in a plain shell from the checkout, and verify answers', async () => {
  const release = join(scratch, 'download', 'nightly-20261130-0123abc');
  const keys = join(scratch, 'keys with a space');
  await mkdir(release, { recursive: true });
  await mkdir(keys, { recursive: true });
  const { line } = cliCommand(['verify', release, '--keys', keys]);
  expect(line).toMatch(/^npm run cli -- verify /);
  const r = await execa('bash', ['-c', line], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: process.env.HOME ?? scratch },
    extendEnv: false,
    reject: false,
  });
  expect(r.stderr).not.toMatch(/command not found|Missing script/);
  expect(r.exitCode).toBe(1);
  expect(r.stdout).toContain(`NOT VERIFIED: ${release} (files, signatures, provenance, sources failed)`);
  expect(r.stdout).toContain('SHA256SUMS is missing');
});
