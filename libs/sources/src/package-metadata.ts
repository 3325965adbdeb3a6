import { mkdir, readFile, realpath } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { hermeticEnv, rustSysroot, runInSandbox } from '@bllvm/hermetic';
import type { CrateFacts, PackageMetadata } from '@bllvm/manifest';
import { parse } from 'smol-toml';
import { manifestPaths, within } from './cargo-paths';
import { type CrateCheckout, inSandbox } from './cargo-metadata';

export type PackageMetadataResult = { ok: true; meta: PackageMetadata; ms: number } | { ok: false; stderr: string; ms: number };

export interface PackageMetadataRun extends CrateCheckout {
  /** Every checkout of the stack, mounted read-only beside this one (a workspace member or path dependency may name a sibling). */
  checkouts: readonly CrateCheckout[];
  /** Host folder mounted at /cargo-home; --no-deps downloads and writes nothing there, but cargo wants one. */
  cargoHome: string;
}

/**
 * `cargo metadata --no-deps --offline` for one checkout's crate, in the build sandbox: cargo itself
 * reads the manifests (workspace inheritance, renamed packages, features, targets), without
 * resolving a dependency, so nothing is written: every checkout stays read-only. Paths in the
 * result are the sandbox's (/src/<folder>/…), the same on every machine.
 */
export async function packageMetadata(run: PackageMetadataRun): Promise<PackageMetadataResult> {
  const started = Date.now();
  await mkdir(run.cargoHome, { recursive: true });
  const others = run.checkouts.filter((c) => c.dir !== run.dir);
  const r = await runInSandbox(
    {
      sysroot: await rustSysroot(),
      mounts: [...[...others, run].map((c) => ({ host: c.dir, at: inSandbox(c.dir) })), { host: run.cargoHome, at: '/cargo-home', writable: true }],
      cwd: posix.join(inSandbox(run.dir), run.crateDir),
      env: hermeticEnv({}),
      argv: ['cargo', 'metadata', '--no-deps', '--format-version', '1', '--offline'],
    },
    { stderr: 'pipe', timeoutMs: 60_000 },
  );
  const ms = Date.now() - started;
  if (r.exitCode !== 0) return { ok: false, stderr: String(r.stderr ?? '').trim(), ms };
  return { ok: true, meta: JSON.parse(String(r.stdout)) as PackageMetadata, ms };
}

/**
 * One checkout's facts for the graph: its metadata, and the `[patch]` paths of its workspace root
 * manifest (cargo applies patches only there, and metadata does not report them), as sandbox paths.
 */
export async function crateFacts(run: PackageMetadataRun): Promise<{ ok: true; facts: CrateFacts; ms: number } | { ok: false; stderr: string; ms: number }> {
  const r = await packageMetadata(run);
  if (!r.ok) return r;
  const root = r.meta.workspace_root;
  const mounted = inSandbox(run.dir);
  // The workspace root lies inside this checkout (containment was checked before): read it from the host.
  if (!within(root, mounted, posix)) return { ok: false, stderr: `the workspace root ${root} is outside the checkout`, ms: r.ms };
  // Read on the host, so only a regular file that really lies inside the checkout (no symlink out).
  const file = join(run.dir, posix.relative(mounted, root), 'Cargo.toml');
  if (!within(await realpath(file), await realpath(run.dir))) return { ok: false, stderr: `${file} leads outside the checkout`, ms: r.ms };
  const text = await readFile(file, 'utf8');
  const patches = manifestPaths(parse(text) as Record<string, unknown>)
    .filter((p) => p.key.startsWith('patch.'))
    .map((p) => ({ key: p.key, path: posix.normalize(posix.join(root, p.path)) }));
  return { ok: true, facts: { meta: trimMetadata(r.meta), patches }, ms: r.ms };
}

/** Only the fields the graph and the build-option check read: what the cache keeps. */
export function trimMetadata(meta: PackageMetadata): PackageMetadata {
  return {
    workspace_root: meta.workspace_root,
    packages: meta.packages.map((p) => ({
      name: p.name,
      manifest_path: p.manifest_path,
      features: p.features,
      targets: p.targets.map((t) => ({ name: t.name, kind: t.kind })),
      dependencies: p.dependencies.map((d) => ({ name: d.name, rename: d.rename ?? null, kind: d.kind, optional: d.optional, target: d.target ?? null, ...(d.path !== undefined ? { path: d.path } : {}) })),
    })),
  };
}
