import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, lstat, readFile, readdir, rename, rm } from 'node:fs/promises';
import { basename, join, posix, relative, resolve } from 'node:path';
import { parse } from 'smol-toml';
import { cargoHomeMounts, describeLimit, prepareRegistryHome, runInSandbox } from '@bllvm/hermetic';
import { checkoutCommit, manifestTree, registryLabel, remoteSourceProblems, unreachableRegistry } from '@bllvm/sources';
import type { CargoRequest } from './request';
import { dependencyKey, passStillHolds, recordPass, sha256 } from './dependencies-marker';
import { lockNeedsFetch } from './fetch-needed';
import { lockCandidates } from './lock-candidates';
import { type TaskLayout, sandboxCheckout, sandboxCrate } from './sandbox';

/**
 * The dependency step: resolve (when the component commits no lock) and download, from manifests
 * and locks alone. It runs over manifest-only copies of the checkouts (libs/sources'
 * manifestTree: no `.cargo` config, no build script, no source), with a cargo home that holds
 * nothing but the registry cache, so cargo finds no program and no setting of the component's in
 * the one step that may have the network and writes the cache. It has the network only when the
 * offline attempt says it needs it, and then only after every manifest was checked to name no
 * source but the stack's checkouts and the registry. The lock it made is copied into the checkout
 * by us, as a plain file: no step ever has a writable checkout.
 *
 * A pass is remembered per set of checkout commits (dependencies-marker.ts): the next task over
 * the same commits, whose lock is unchanged and whose packages are all in the cache, starts no
 * sandbox, copies no manifest and reads no manifest again.
 */
export async function resolveDependencies(req: CargoRequest, layout: TaskLayout, sysroot: string, config: string[]): Promise<{ lockGenerated: boolean }> {
  const checkout = layout.checkouts[layout.self]!;
  const key = await passKey(req, layout, config);
  const held = key && (await passStillHolds(req.ctx.sources.workDir, key, checkout, layout.registryHome));
  if (held) return { lockGenerated: held.lockGenerated };
  const r = await resolveAndFetch(req, layout, sysroot, config);
  const lock = key && findLock(checkout, layout.crateDirs?.[layout.self] ?? '.');
  if (key && lock) await recordPass(req.ctx.sources.workDir, key, { lock, lockSha256: sha256(await readFile(join(checkout, lock))), lockGenerated: r.lockGenerated });
  return r;
}

/** The marker's key for this task, or undefined when a checkout is not at a plain commit or a given lock cannot be read (then the step always runs). */
async function passKey(req: CargoRequest, layout: TaskLayout, config: string[]): Promise<string | undefined> {
  const dirs = Object.values(layout.checkouts);
  const heads = await Promise.all(dirs.map(checkoutCommit));
  if (heads.some((h) => h === undefined)) return undefined;
  let givenLock: string | undefined;
  if (req.options.lockFile) {
    const given = await readFile(resolve(req.ctx.workspaceRoot, req.options.lockFile)).catch(() => undefined);
    if (!given) return undefined;
    givenLock = sha256(given);
  }
  const commits = Object.fromEntries(dirs.map((d, i) => [d, heads[i]!]));
  return dependencyKey({ commits, crateDir: layout.crateDirs?.[layout.self] ?? '.', config, locked: req.locked, registryHome: layout.registryHome, givenLock });
}

async function resolveAndFetch(req: CargoRequest, layout: TaskLayout, sysroot: string, config: string[]): Promise<{ lockGenerated: boolean }> {
  const scratch = join(req.ctx.sources.workDir, 'scratch', `${req.ctx.component}-${req.purpose}-${randomBytes(6).toString('hex')}`);
  try {
    const trees: Record<string, string> = {};
    for (const [id, host] of Object.entries(layout.checkouts)) {
      trees[id] = join(scratch, basename(host));
      await manifestTree(host, trees[id]!);
    }
    const problems = (await Promise.all(Object.values(trees).map((t) => remoteSources(t)))).flat();
    if (problems.length) throw new Error(`${req.ctx.component}@${req.short}: refusing to download dependencies from a source other than the stack's checkouts and the registry:\n${problems.join('\n')}`);
    await prepareRegistryHome(layout.registryHome);
    const selfTree = trees[layout.self]!;
    const crateDir = layout.crateDirs?.[layout.self] ?? '.';
    let existing = findLock(selfTree, crateDir);
    // A lock given for a repository that commits none (a rebuild's: the one the release recorded) is used as committed.
    if (!existing && req.options.lockFile) existing = await placeGivenLock(resolve(req.ctx.workspaceRoot, req.options.lockFile), selfTree, crateDir);
    const generate = !existing && req.locked !== false;
    // Without a lock, one `cargo fetch` resolves (writing the lock) and downloads in a single
    // sandbox run, as `generate-lockfile` and then `fetch` did in two. With one, only what the
    // cache lacks is fetched, --locked.
    if (!existing) await cargoFetch(req, layout, trees, sysroot, config, false);
    else if (await lockNeedsFetch(join(selfTree, existing), layout.registryHome)) await cargoFetch(req, layout, trees, sysroot, config, true);
    if (generate || (existing && !findLock(layout.checkouts[layout.self]!, crateDir))) await copyLockBack(selfTree, layout.checkouts[layout.self]!, crateDir);
    return { lockGenerated: generate };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * `cargo fetch` over the manifest trees: offline first, with the network only when cargo says it
 * needs it. Not `locked`: there is no lock yet, and this run resolves one.
 */
async function cargoFetch(req: CargoRequest, layout: TaskLayout, trees: Record<string, string>, sysroot: string, config: string[], locked: boolean): Promise<void> {
  const spec = (network: boolean) => ({
    sysroot,
    mounts: [
      ...Object.entries(trees).map(([id, host]) => ({ host, at: sandboxCheckout(layout.checkouts[id]!), writable: id === layout.self })),
      ...cargoHomeMounts(layout.registryHome, 'download', req.limits.tmpMiB),
    ],
    cwd: sandboxCrate(layout, layout.self),
    env: { ...req.sandboxEnv, CARGO_NET_OFFLINE: String(!network) },
    argv: ['cargo', ...config, 'fetch', ...(locked ? ['--locked'] : [])],
    network,
  });
  const name = 'cargo fetch';
  let r = await runInSandbox(spec(false), { stderr: 'pipe', limits: req.limits });
  if (r.exitCode !== 0 && !r.limitHit && /offline/i.test(String(r.stderr))) {
    req.log(`${req.ctx.component}@${req.short}: ${name} needs ${registryLabel(req.ctx.sources)}; downloading`);
    r = await runInSandbox(spec(true), { stderr: 'pipe', limits: req.limits });
  }
  const what = `cannot ${locked ? 'download' : 'resolve'} the dependencies of ${req.ctx.component}@${req.short} (${name})`;
  if (r.limitHit) throw new Error(`${what}: it went over ${describeLimit(r.limitHit, req.limits)}`);
  const unreachable = r.exitCode !== 0 ? unreachableRegistry(String(r.stderr)) : undefined;
  if (unreachable) throw new Error(`${what}: cannot reach ${registryLabel(req.ctx.sources)} (${unreachable}); set BLLVM_CARGO_REGISTRY to a mirror's sparse index, or check the runner's network`);
  if (r.exitCode !== 0) throw new Error(`${what}: ${String(r.stderr).trim().split('\n').slice(-3).join(' ')}`);
}

/** Problems of every manifest of a tree, each with the file it is in. */
async function remoteSources(tree: string): Promise<string[]> {
  const out: string[] = [];
  for (const file of await manifests(tree)) {
    let doc: Record<string, unknown>;
    try {
      doc = parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    } catch {
      continue; // cargo names a malformed manifest with its own error
    }
    for (const p of remoteSourceProblems(doc)) out.push(`${posix.join(basename(tree), relative(tree, file))}: ${p}`);
  }
  return out;
}

async function manifests(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name === 'Cargo.toml') out.push(join(e.parentPath, e.name));
  return out;
}

/** The lock cargo uses for a crate: beside it, or at a workspace root above it inside the checkout (relative path), or undefined. */
export function findLock(root: string, crateDir: string): string | undefined {
  return lockCandidates(crateDir).find((rel) => existsSync(join(root, rel)));
}

/** The given lock, as a plain file, where cargo reads the crate's own lock in the scratch tree; its place there. */
async function placeGivenLock(file: string, tree: string, crateDir: string): Promise<string> {
  const st = await lstat(file).catch(() => undefined);
  if (!st?.isFile()) throw new Error(`the lockFile option names ${file}, which is not a file`);
  const rel = lockCandidates(crateDir)[0]!;
  await copyFile(file, join(tree, rel));
  return rel;
}

/** The lock cargo generated in the scratch tree, into the checkout at the same place: a plain file, renamed into place. */
async function copyLockBack(tree: string, checkout: string, crateDir: string): Promise<void> {
  const rel = findLock(tree, crateDir);
  if (!rel) throw new Error(`cargo fetch made no Cargo.lock for ${basename(checkout)}`);
  const st = await lstat(join(tree, rel));
  if (!st.isFile()) throw new Error(`the generated ${rel} is not a regular file`);
  const tmp = join(checkout, `${rel}.${randomBytes(4).toString('hex')}.tmp`);
  await copyFile(join(tree, rel), tmp);
  await rename(tmp, join(checkout, rel));
}

