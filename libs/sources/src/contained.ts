import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type SourcesConfig, paths } from './config';
import { cargoMetadata } from './cargo-metadata';
import { type Checked, escapingSymlinks, fileEscapes, metadataProblems } from './containment';
import { checkoutPassHolds, containmentKey, passedBefore, readCheckoutPass, recordCheckoutPass, recordPass } from './containment-marker';
import { SourcesError } from './errors';
import { inTurn } from './in-turn';
import { type ManifestRefs, manifestRefs, missingFolders, reachableFolders } from './mounts';

/** Cargo reads these from the folder it runs in (the crate's folder) and every folder above it. */
const CONFIG_FILES = ['.cargo/config.toml', '.cargo/config'];

/** The crate's folder and each folder above it up to the checkout's root: where cargo looks for config. */
function configFolders(c: Checked): string[] {
  const parts = c.crateDir === '.' ? [] : c.crateDir.split('/');
  return parts.map((_, i) => join(c.dir, ...parts.slice(0, parts.length - i))).concat(c.dir);
}

/**
 * Refuse the run when any checkout reaches outside the set: escaping symlinks first (nothing of a
 * checkout holding one is read further), then each root manifest and cargo config, then cargo's
 * own view of every package (`cargo metadata` in the build sandbox). One error lists them all.
 * A checkout whose earlier pass holds in this set is not probed again (containment-marker.ts);
 * returns the components that were.
 */
export async function assertContained(cfg: SourcesConfig, checked: readonly Checked[]): Promise<{ probed: string[] }> {
  const key = containmentKey(checked);
  if (passedBefore(cfg, key)) return { probed: [] };
  const passes = await Promise.all(checked.map((c) => readCheckoutPass(cfg, c)));
  const current = new Map(checked.map((c) => [basename(c.dir), c.commit] as const));
  const { problems, probed } = await checkCheckouts(cfg, checked, (i, reachNow) => checkoutPassHolds(passes[i], current, reachNow));
  if (problems.length === 0) {
    await recordPass(cfg, key);
    return { probed };
  }
  const first = checked.find((c) => problems[0]!.startsWith(`${c.component}@`));
  const text = problems.length === 1 ? problems[0]! : `${problems.length} containment problems:\n${problems.map((p) => `  ${p}`).join('\n')}`;
  throw new SourcesError(text, first ? { component: first.component, commit: first.commit } : {});
}

/** Every problem of every checkout, each probed afresh (no marker is read or written). */
export async function containmentProblems(cfg: SourcesConfig, checked: readonly Checked[]): Promise<string[]> {
  return (await checkCheckouts(cfg, checked, () => false, false)).problems;
}

/**
 * The checks, checkout by checkout, skipping those `kept` says passed before (a pass is of the
 * checkout's own commit, so it had no escaping symlink either). Each probed checkout that shows no
 * problem has its pass recorded with what its probe mounted, unless `record` is false.
 */
async function checkCheckouts(
  cfg: SourcesConfig,
  checked: readonly Checked[],
  kept: (index: number, reachNow: string[]) => boolean,
  record = true,
): Promise<{ problems: string[]; probed: string[] }> {
  const dirs = checked.map((c) => c.dir);
  const sourcesDir = paths.sourcesDir(cfg);
  const symlinks = (await Promise.all(checked.map(escapingSymlinks))).flat();
  // A symlinked manifest could make the next steps read a runner file: stop at the symlinks.
  if (symlinks.length) return { problems: symlinks, probed: checked.map((c) => c.component) };
  // Each checkout's manifests read once, so each probe mounts only what its crate reaches (not all N siblings in each of N runs).
  const byFolder = new Map(checked.map((c) => [basename(c.dir), c] as const));
  const refs = new Map(await Promise.all(checked.map(async (c) => [basename(c.dir), await manifestRefs(c.dir, c.crateDir)] as const)));
  const reach = (c: Checked) => reachableFolders(basename(c.dir), refs, true);
  const todo = checked.filter((c, i) => !kept(i, reach(c)));
  const perCheckout = await inTurn(todo, 2, async (c) => {
    const configs = configFolders(c).flatMap((d) => CONFIG_FILES.map((f) => join(d, f))).filter((f) => existsSync(f));
    const files = [
      ...(await fileEscapes(c, join(c.dir, c.crateDir, 'Cargo.toml'), 'manifest', dirs, sourcesDir)),
      ...(await Promise.all(configs.map((f) => fileEscapes(c, f, 'config', dirs, sourcesDir)))).flat(),
    ];
    const { meta, mounted } = await probe(cfg, c, byFolder, refs);
    const problems = [...files, ...(await metadataProblems(c, meta, dirs, sourcesDir, files.length))];
    if (record && problems.length === 0) await recordCheckoutPass(cfg, c, { mounted: Object.fromEntries([...mounted].map((f) => [f, byFolder.get(f)!.commit])) });
    return problems;
  });
  return { problems: [...new Set(perCheckout.flat())], probed: todo.map((c) => c.component) };
}

/**
 * The resolving `cargo metadata` of one checkout with the checkouts its crate reaches mounted (path
 * dependencies, [patch] entries, siblings it depends on by name, and theirs), as the build mounts
 * them. A sibling of the stack that cargo still asks for is mounted and the run repeated: what is
 * mounted never decides what is checked (every path is judged against all the checkouts).
 */
async function probe(cfg: SourcesConfig, c: Checked, byFolder: ReadonlyMap<string, Checked>, refs: ReadonlyMap<string, ManifestRefs>) {
  const mounted = new Set(reachableFolders(basename(c.dir), refs, true));
  for (;;) {
    const meta = await cargoMetadata({
      dir: c.dir,
      crateDir: c.crateDir,
      checkouts: [...mounted].map((f) => byFolder.get(f)!).map((k) => ({ dir: k.dir, crateDir: k.crateDir })),
      scratch: join(cfg.workDir, 'probe'),
      registryHome: join(cfg.workDir, 'cargo-home', c.component),
      cargoRegistry: cfg.cargoRegistry,
    });
    const more = meta.ok ? [] : missingFolders(meta.stderr, refs, mounted);
    if (more.length === 0) return { meta, mounted };
    for (const f of more) for (const g of reachableFolders(f, refs, true)) mounted.add(g);
  }
}
