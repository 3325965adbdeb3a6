import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { DEFAULT_LIMITS, cargoHomeMounts, hermeticEnv, rustSysroot, runInSandbox } from '@bllvm/hermetic';
import { parse } from 'smol-toml';
import type { CargoMetadata } from './cargo-paths';
import { manifestTree } from './manifest-tree';
import { registryConfigArgs } from './cargo-registry';

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
  /** Host folders: scratch space for the copy, and the component's registry cache (read-only here). */
  scratch: string;
  registryHome: string;
  /** The configured registry in place of crates.io (as every cargo step of the task names it), so the cache is the one the download step filled. */
  cargoRegistry?: string;
}

/**
 * `cargo metadata --offline` for one checkout, inside the build sandbox: the manifests are
 * component input, and cargo parses them. Cargo writes a Cargo.lock when there is none, which a
 * read-only checkout refuses, so it runs on a manifest-only copy (libs/sources' manifestTree: no
 * `.cargo` config, no source, no `.git`): the shared checkout is never written, and nothing of the
 * component's can run in the one tree this step may write. Sibling crates declared as registry
 * ranges are pointed at their checkouts as the build does, so the resolve is the build's.
 */
export async function cargoMetadata(run: MetadataRun): Promise<MetadataResult> {
  const copy = join(run.scratch, `${basename(run.dir)}-${randomBytes(6).toString('hex')}`);
  await mkdir(run.scratch, { recursive: true });
  try {
    await manifestTree(run.dir, copy);
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
          ...cargoHomeMounts(run.registryHome, 'read', DEFAULT_LIMITS.tmpMiB),
        ],
        cwd: posix.join(inSandbox(run.dir), run.crateDir),
        env: hermeticEnv({}),
        argv: ['cargo', ...registryConfigArgs(run), ...patches, 'metadata', '--format-version', '1', '--offline'],
      },
      { stderr: 'pipe', timeoutMs: 120_000 },
    );
    if (r.exitCode !== 0) return { ok: false, stderr: String(r.stderr ?? '') };
    return { ok: true, meta: JSON.parse(String(r.stdout)) as CargoMetadata };
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
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
