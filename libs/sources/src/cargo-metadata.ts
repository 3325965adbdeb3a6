import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, rm, unlink } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { execa } from 'execa';
import { hermeticEnv, rustSysroot, runInSandbox } from '@bllvm/hermetic';
import { parse } from 'smol-toml';
import type { CargoMetadata } from './cargo-paths';

/** Where the build sandbox mounts a checkout (as the cargo executor does): /src/<folder>. */
export const inSandbox = (hostDir: string) => posix.join('/src', basename(hostDir));

export type MetadataResult = { ok: true; meta: CargoMetadata } | { ok: false; stderr: string };

/** A checkout and its crate's folder inside it ('.' for the root). */
export interface CrateCheckout {
  dir: string;
  crateDir: string;
}

export interface MetadataRun extends CrateCheckout {
  /** The checkouts of this run (siblings are mounted read-only and patched in), the component's own included: what its crate reaches, not the whole stack. */
  checkouts: readonly CrateCheckout[];
  /** Host folders: scratch space for the copy, and the cargo home mounted at /cargo-home. */
  scratch: string;
  cargoHome: string;
}

/**
 * `cargo metadata --offline` for one checkout, inside the build sandbox: the manifests are
 * component input, and cargo parses them. Cargo writes a Cargo.lock when there is none, which a
 * read-only checkout refuses, so it runs on a hard-linked copy whose lock (if any) is a real copy:
 * the shared checkout is never written. Sibling crates declared as registry ranges are pointed at
 * their checkouts as the build does, so the resolve is the build's.
 */
export async function cargoMetadata(run: MetadataRun): Promise<MetadataResult> {
  const copy = join(run.scratch, `${basename(run.dir)}-${randomBytes(6).toString('hex')}`);
  await mkdir(run.scratch, { recursive: true });
  await mkdir(run.cargoHome, { recursive: true });
  try {
    await linkCopy(run.dir, copy);
    const lock = join(run.crateDir, 'Cargo.lock');
    if (existsSync(join(copy, lock))) {
      await unlink(join(copy, lock));
      await copyFile(join(run.dir, lock), join(copy, lock));
    }
    const siblings = run.checkouts.filter((c) => c.dir !== run.dir);
    const patches = (await Promise.all(siblings.map(async (c) => [await crateName(join(c.dir, c.crateDir)), posix.join(inSandbox(c.dir), c.crateDir)] as const)))
      .filter(([name]) => name !== undefined)
      .flatMap(([name, at]) => ['--config', `patch.crates-io.${name}.path=${JSON.stringify(at)}`]);
    const r = await runInSandbox(
      {
        sysroot: await rustSysroot(),
        mounts: [
          ...siblings.map((c) => ({ host: c.dir, at: inSandbox(c.dir) })),
          { host: copy, at: inSandbox(run.dir), writable: true },
          { host: run.cargoHome, at: '/cargo-home', writable: true },
        ],
        cwd: posix.join(inSandbox(run.dir), run.crateDir),
        env: hermeticEnv({}),
        argv: ['cargo', ...patches, 'metadata', '--format-version', '1', '--offline'],
      },
      { stderr: 'pipe', timeoutMs: 120_000 },
    );
    if (r.exitCode !== 0) return { ok: false, stderr: String(r.stderr ?? '') };
    return { ok: true, meta: JSON.parse(String(r.stdout)) as CargoMetadata };
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

/**
 * A hard-linked copy of a checkout's files, without its `.git`: cargo reads no git metadata of a
 * path crate, and other tasks run git in the shared checkout meanwhile (`git status` writes and
 * renames `.git/index.lock`), so copying `.git` raced with them and failed the task.
 */
export async function linkCopy(from: string, to: string): Promise<void> {
  await mkdir(to);
  const entries = (await readdir(from)).filter((e) => e !== '.git').map((e) => join(from, e));
  if (entries.length) await execa('cp', ['-al', '--', ...entries, to]);
}

/** A checkout's crate name (only a bare, plain key can be patched), or undefined. */
async function crateName(dir: string): Promise<string | undefined> {
  try {
    const name = (parse(await readFile(join(dir, 'Cargo.toml'), 'utf8')) as { package?: { name?: unknown } }).package?.name;
    return typeof name === 'string' && /^[A-Za-z0-9_-]+$/.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}
