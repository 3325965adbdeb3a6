import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { DEFAULT_LIMITS, cargoHomeMounts, hermeticEnv, rustSysroot, runInSandbox } from '@bllvm/hermetic';
import type { CrateFacts, PackageMetadata } from '@bllvm/manifest';
import { parse } from 'smol-toml';
import { manifestPaths, within } from './cargo-paths';
import { type CrateCheckout, inSandbox } from './cargo-metadata';
import { manifestTree } from './manifest-tree';
import { type ManifestRefs, manifestRefs, missingFolders } from './mounts';

export type PackageMetadataResult = { ok: true; meta: PackageMetadata; ms: number } | { ok: false; stderr: string; ms: number };

export interface PackageMetadataRun extends CrateCheckout {
  /**
   * The checkouts that may be mounted read-only beside this one. Only those the crate's manifests
   * name by path are (a crate declaring a [workspace] makes cargo open its path dependencies), and
   * any other cargo asks for: mounting all N in each of N runs made a cold read of the stack N × N.
   */
  checkouts: readonly CrateCheckout[];
}

/**
 * `cargo metadata --no-deps --offline` for one checkout's crate, in the build sandbox: cargo itself
 * reads the manifests (workspace inheritance, renamed packages, features, targets), without
 * resolving a dependency, so nothing is written: every checkout stays read-only. It runs over a
 * manifest-only copy of the crate's own checkout, so no cargo config of the component's is read
 * and no program of it runs: a graph can be derived where a token is held. Paths in the
 * result are the sandbox's (/src/<folder>/…), the same on every machine.
 */
export async function packageMetadata(run: PackageMetadataRun): Promise<PackageMetadataResult> {
  const started = Date.now();
  const byFolder = new Map(run.checkouts.filter((c) => c.dir !== run.dir).map((c) => [basename(c.dir), c.dir] as const));
  const mounted = new Set((await manifestRefs(run.dir, run.crateDir)).folders.filter((f) => byFolder.has(f)));
  const refs = new Map<string, ManifestRefs>([...byFolder.keys()].map((f) => [f, { folders: [], deps: [] }]));
  // The crate's own checkout as manifests only: cargo reads `.cargo` config from the folders above
  // where it runs, and a rustc wrapper there would run; the siblings' config is never read.
  const scratch = await mkdtemp(join(tmpdir(), 'bllvm-metadata-'));
  const own = join(scratch, basename(run.dir));
  let r: Awaited<ReturnType<typeof runInSandbox>>;
  try {
    await manifestTree(run.dir, own);
    for (;;) {
      r = await runInSandbox(
        {
          sysroot: await rustSysroot(),
          mounts: [
            ...[...mounted].map((f) => byFolder.get(f)!).map((dir) => ({ host: dir, at: inSandbox(dir) })),
            { host: own, at: inSandbox(run.dir) },
            // --no-deps reads no registry: an empty cargo home of its own, gone with the run.
            ...cargoHomeMounts(undefined, 'read', DEFAULT_LIMITS.tmpMiB),
          ],
          cwd: posix.join(inSandbox(run.dir), run.crateDir),
          env: hermeticEnv({}),
          argv: ['cargo', 'metadata', '--no-deps', '--format-version', '1', '--offline'],
        },
        { stderr: 'pipe', timeoutMs: 60_000 },
      );
      // A sibling cargo opened that no manifest read here names (a workspace member's path dependency): mount it and run again.
      const more = r.exitCode === 0 ? [] : missingFolders(String(r.stderr ?? ''), refs, mounted);
      if (more.length === 0) break;
      for (const f of more) mounted.add(f);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
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
