// The api command's sandboxed step for real: rustdoc's JSON of a tiny crate, made in the build
// sandbox as the executor makes it (read-only checkout, offline, --locked, nothing of ours in the
// environment), taken out as a plain file through the API reader, then compared before and after.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PublicApi, compareApi, refuseTooSmallBump } from '@bllvm/crates';
import { hermeticEnv, rustSysroot, sandboxLimits } from '@bllvm/hermetic';
import { runRustdocJson, takeApiJson } from './api-crate';
import { rustdocJsonArgs } from './cargo-args';
import { cargoEnv } from './cargo-env';
import type { TaskLayout } from './sandbox';

const BASE = 'pub fn add(a: i32, b: i32) -> i32 { a + b }\npub fn sub(a: i32, b: i32) -> i32 { a - b }\npub enum Mode { Fast, Slow }\n';
const SOURCES = {
  before: BASE,
  removed: BASE.replace(/^pub fn sub.*\n/m, ''),
  added: `${BASE}pub fn mul(a: i32, b: i32) -> i32 { a * b }\n`,
};

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'api-crate-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** One checkout of the `tiny` crate with `lib` as its source, documented in the sandbox into `<root>/<name>.json`. */
async function document(name: keyof typeof SOURCES): Promise<PublicApi> {
  const checkout = join(root, name, 'tiny');
  await mkdir(join(checkout, 'src'), { recursive: true });
  await writeFile(join(checkout, 'Cargo.toml'), '[package]\nname = "tiny"\nversion = "0.1.3"\nedition = "2021"\n\n[dependencies]\n');
  await writeFile(join(checkout, 'src', 'lib.rs'), SOURCES[name]);
  // The lock, made before the sandboxed step as the dependency step makes it: the checkout is read-only in there.
  await execa('cargo', ['generate-lockfile', '--offline'], { cwd: checkout });
  const layout: TaskLayout = { checkouts: { tiny: checkout }, self: 'tiny', targetDir: join(root, name, 'target'), registryHome: join(root, name, 'registry') };
  await mkdir(layout.targetDir, { recursive: true });
  await mkdir(layout.registryHome, { recursive: true });
  const options = { command: 'api' as const };
  const run = await runRustdocJson({
    layout,
    sysroot: await rustSysroot(),
    env: hermeticEnv({ ...process.env, GITHUB_TOKEN: 'ghp_must_not_reach' }, cargoEnv(options, {})),
    argv: ['cargo', ...rustdocJsonArgs(options, true)],
    limits: sandboxLimits({ wallSeconds: 120 }),
    lib: 'tiny',
    stdio: 'pipe',
  });
  expect(run.exitCode, String(run.stderr)).toBe(0);
  expect(run.json).toBe('doc/tiny.json');
  const taken = await takeApiJson(layout.targetDir, run.json, join(root, `${name}.json`));
  if ('problem' in taken) throw new Error(taken.problem);
  return taken.api;
}

describe('the api step in the build sandbox', () => {
  it('a removed function is breaking and refuses a patch release; an added one is additive', async () => {
    const [before, removed, added] = [await document('before'), await document('removed'), await document('added')];
    expect(before).toMatchObject({ crate: 'tiny', version: '0.1.3' });
    expect(before.items.find((i) => i.path === 'tiny::sub')?.signature).toBe('fn sub(i32, i32) -> i32');

    const broken = compareApi(before, removed);
    expect(broken).toMatchObject({ classification: 'breaking', additive: [] });
    expect(broken.breaking.map((c) => c.line)).toEqual(['removed fn tiny::sub: fn sub(i32, i32) -> i32']);
    expect(refuseTooSmallBump({ crate: 'tiny', from: '0.1.3', to: '0.1.4', comparison: broken })).toMatch(/needs at least a minor bump\n {2}- removed fn tiny::sub/);

    const grown = compareApi(before, added);
    expect(grown).toMatchObject({ classification: 'additive', breaking: [] });
    expect(grown.additive.map((c) => c.line)).toEqual(['added fn tiny::mul: fn mul(i32, i32) -> i32']);
    expect(compareApi(before, await document('before')).classification).toBe('none');
  }, 60_000);

  it('refuses output that is not a plain file, and names a missing one', async () => {
    const target = join(root, 'hostile');
    await mkdir(join(target, 'doc'), { recursive: true });
    await symlink('/etc/passwd', join(target, 'doc', 'tiny.json'));
    await expect(takeApiJson(target, 'doc/tiny.json', join(root, 'out.json'))).rejects.toThrow('doc/tiny.json in the target dir is a symlink, not what cargo makes: refusing it');
    expect(await takeApiJson(target, 'doc/other.json', join(root, 'out.json'))).toEqual({ problem: 'it made no doc/other.json' });
    await writeFile(join(target, 'doc', 'old.json'), JSON.stringify({ format_version: 12, index: {} }));
    expect(await takeApiJson(target, 'doc/old.json', join(root, 'old.json'))).toEqual({
      problem: 'the API reader refuses doc/old.json: rustdoc JSON format_version 12 is not the one this reader understands (57); produce it with the toolchain the builds use',
    });
  });
});
