import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { type CrateRecord, type NotPublishedRecord, readCrateRecord } from '@bllvm/manifest';
import { type SandboxSpec, cargoHomeMounts, describeLimit, runInSandbox } from '@bllvm/hermetic';
import { paths, resolveTag } from '@bllvm/sources';
import type { ComponentContext } from '../../lib/component';
import { writeOutputDir } from '../../lib/atomic-output';
import { openPlainFileInside } from './artifacts';
import { patchArgs } from './cargo-args';
import { crateName, crateVersion } from './crate-manifest';
import { readCrateArchive } from './crate-archive';
import { findLock } from './dependencies';
import { lockedDownloads } from './fetch-needed';
import { OVERLAY_MOUNT, type OverlayCrate, cachedRegistryCrates, chooseOverlayCrates, dependsOnOf, overlayConfigArgs, writeOverlay } from './package-overlay';
import { withDevelopPins } from './develop-pins';
import { normalizeCargoRequest } from './request';
import { SANDBOX_TARGET, type TaskLayout, hostCrate, sandboxCheckout, sandboxCrate } from './sandbox';
import type { CargoExecutorOptions } from './schema';
import { taskSourceDate } from './source-date';
import { prepareSources } from './sources';
import type { CargoTaskIO, CargoTaskResult } from './run-cargo';

/**
 * The `package` command: `cargo package` of the component's crate at its pin (or at the develop
 * set's release commit on it, develop-pins.ts), verify build and all, in the build sandbox. Its
 * upstreams resolve from the crates their own package tasks made (dist/<u>/crate/), through a
 * local registry that replaces crates.io for the task (package-overlay.ts).
 * Writes dist/<c>/crate/<crate>-<version>.crate and crate.json (CrateRecord).
 */
export async function runPackageTask(pinned: ComponentContext, options: CargoExecutorOptions, io: CargoTaskIO): Promise<CargoTaskResult> {
  const { ctx, develop } = await withDevelopPins(pinned);
  const req = normalizeCargoRequest(ctx, options, io);
  if (develop) req.log(`${ctx.component}: the develop set's release commit ${ctx.pin.commit.slice(0, 7)} (on pin ${pinned.pin.commit.slice(0, 7)}) is packaged`);
  const at = `${ctx.component}@${req.short}`;
  const prepared = await prepareSources(req);
  const { layout } = prepared;
  const manifest = parseToml(await readFile(join(prepared.dir, 'Cargo.toml'), 'utf8')) as { package?: { publish?: unknown } };
  if (manifest.package?.publish === false) {
    // Said in a record, so the release can tell this crate from one nobody packaged.
    const record: NotPublishedRecord = { component: ctx.component, commit: ctx.pin.commit, reason: 'publish = false' };
    return writeOutputDir(io.outDir, async (out) => {
      await writeFile(join(out, basename(ctx.self.dist.crate.notPublished)), `${JSON.stringify(record, null, 2)}\n`);
      return { success: true, message: `${at}: not packaged, its Cargo.toml says publish = false`, toolMs: 0 };
    });
  }
  const [crate, version] = [await crateName(prepared.dir, ctx.self), await crateVersion(prepared.dir)];
  const release = await releaseCrates(ctx);
  const inRelease = new Set(release.map((r) => r.archive.name));
  const notReleased = ctx.upstream.filter((u) => !release.some((r) => r.component === u.id));
  for (const u of notReleased.filter((u) => u.kinds.includes('library'))) req.log(`${at}: ${u.id} has no crate packaged at its pin (dist/${u.id}/crate/); building against its checkout instead`);
  // Upstreams with a crate of this release resolve from the overlay; every other stack crate the
  // checkouts hold (an upstream with none, an optional or dev-only sibling outside the graph, whose
  // package task is not ordered before this one) from its checkout, as in a build: the same either way.
  // Only crates the lock names, so the lock stays as the dependency step made it: a patch nothing
  // uses would add a `[[patch.unused]]` entry, and cargo would rewrite the (read-only) lock.
  const others = Object.keys(layout.checkouts).filter((id) => id !== ctx.component && !release.some((r) => r.component === id));
  const names = await Promise.all(others.map((id) => crateName(hostCrate(layout, id), ctx.upstream.find((u) => u.id === id))));
  const locked = await lockedNames(layout);
  const patched = others.map((id, i) => [names[i]!, sandboxCrate(layout, id)] as const).filter(([name]) => !inRelease.has(name) && (!locked || locked.has(name)));
  const patches = patchArgs(Object.fromEntries(patched));
  const argv = ['cargo', ...overlayConfigArgs(), ...patches, 'package'];
  const overlay = join(ctx.sources.workDir, 'scratch', `${ctx.component}-package-${randomBytes(6).toString('hex')}`);
  let run;
  try {
    await writeOverlay(overlay, chooseOverlayCrates(release, await cachedRegistryCrates(layout.registryHome, await lockedCrates(layout))));
    // What cargo packaged before stays out of what this run is read for.
    await rm(join(layout.targetDir, 'package'), { recursive: true, force: true });
    await mkdir(layout.targetDir, { recursive: true });
    req.sandboxEnv.SOURCE_DATE_EPOCH = String(await taskSourceDate([ctx.component, ...ctx.upstream.map((u) => u.id)].map((id) => layout.checkouts[id]!), ctx.sources.workDir));
    req.log(`${at}: ${argv.join(' ')}`);
    await rm(io.outDir, { recursive: true, force: true });
    const started = Date.now();
    const objects = join(paths.mirror(ctx.sources, ctx.self.repository), 'objects');
    const r = await runInSandbox(packageSandbox(layout, prepared.sysroot, req.sandboxEnv, argv, req.limits.tmpMiB, { overlay, objects }), { stderr: 'pipe', limits: req.limits });
    run = { ...r, toolMs: Date.now() - started };
  } finally {
    await rm(overlay, { recursive: true, force: true });
  }
  const stderr = String(run.stderr ?? '');
  if (stderr) io.log(stderr.trimEnd());
  const limit = run.limitHit ?? (run.timedOut ? 'time' : undefined);
  if (limit === 'time') return fail(`package for ${at} timed out after ${req.limits.wallSeconds}s, its time limit`, run.toolMs);
  if (limit) return fail(`cargo package for ${at} was stopped: it went over ${describeLimit(limit, req.limits)}`, run.toolMs);
  if (run.exitCode !== 0) return fail(`cargo package refused ${at}: ${cargoError(stderr) ?? `exit ${run.exitCode}`}`, run.toolMs);
  // Every process of the sandbox has ended: the target dir is read now, as plain files only.
  const file = `${crate}-${version}.crate`;
  return writeOutputDir(io.outDir, async (out) => {
    const handle = await openPlainFileInside(layout.targetDir, `package/${file}`);
    if (!handle) return fail(`cargo package for ${at} made no package/${file}`, run.toolMs);
    try {
      await writeFile(join(out, file), handle.createReadStream({ autoClose: false }));
    } finally {
      await handle.close();
    }
    const archive = await readCrateArchive(join(out, file));
    if (archive.name !== crate || archive.version !== version) return fail(`${at}: ${file} holds ${archive.name} ${archive.version}`, run.toolMs);
    const tag = (await resolveTag(paths.mirror(ctx.sources, ctx.self.repository), `v${version}`)) === ctx.pin.commit ? `v${version}` : undefined;
    const record: CrateRecord = { component: ctx.component, crate, version, file, size: archive.size, sha256: archive.sha256, commit: ctx.pin.commit, ...(tag ? { tag } : {}), dependsOn: dependsOnOf(archive.manifest) };
    await writeFile(join(out, 'crate.json'), `${JSON.stringify(record, null, 2)}\n`);
    const from = release.filter((r) => record.dependsOn.includes(r.archive.name));
    return { success: true, message: `${at}: packaged ${file}${from.length ? ` (verified against ${from.map((r) => `${r.archive.name} ${r.archive.version}`).join(', ')} of this release)` : ''}`, toolMs: run.toolMs };
  });
}

/**
 * The crates this release packaged for the component's upstreams: each upstream's crate.json, when
 * there is one, checked to be for its pin, and its .crate read as data and checked against it.
 */
export async function releaseCrates(ctx: Pick<ComponentContext, 'upstream'>): Promise<OverlayCrate[]> {
  const out: OverlayCrate[] = [];
  for (const u of ctx.upstream) {
    if (!existsSync(u.dist.crate.record)) continue;
    const record = await readCrateRecord(u.dist.crate.record);
    const file = join(u.dist.crate.dir, record.file);
    if (record.commit !== u.pin.commit) throw new Error(`${u.dist.crate.record} is for ${u.id}@${record.commit.slice(0, 7)}, but ${u.id} is pinned at ${u.pin.commit.slice(0, 7)}: run its package target first`);
    const archive = await readCrateArchive(file);
    if (archive.sha256 !== record.sha256 || archive.name !== record.crate || archive.version !== record.version)
      throw new Error(`${file} is not the crate ${u.dist.crate.record} describes (${record.crate} ${record.version}, sha256 ${record.sha256.slice(0, 12)}…)`);
    out.push({ file, archive, from: `${u.id} (${file})`, component: u.id });
  }
  return out;
}

/** Every crate name the component's lock lists (packages and unused patches), or undefined when there is no lock it can read. */
async function lockedNames(layout: TaskLayout): Promise<Set<string> | undefined> {
  const checkout = layout.checkouts[layout.self]!;
  const lock = findLock(checkout, layout.crateDirs?.[layout.self] ?? '.');
  if (!lock) return undefined;
  try {
    return lockNames(await readFile(join(checkout, lock), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The crate names a Cargo.lock lists: its packages and its unused patches. Pure; throws on a lock that does not parse. */
export function lockNames(lockText: string): Set<string> {
  const doc = parseToml(lockText) as { package?: { name?: unknown }[]; patch?: { unused?: { name?: unknown }[] } };
  return new Set([...(doc.package ?? []), ...(doc.patch?.unused ?? [])].flatMap((p) => (typeof p.name === 'string' ? [p.name] : [])));
}

/** The registry crates the component's lock names (the dependency step made sure the cache has them), or undefined when it cannot tell. */
async function lockedCrates(layout: TaskLayout): Promise<Set<string> | undefined> {
  const checkout = layout.checkouts[layout.self]!;
  const lock = findLock(checkout, layout.crateDirs?.[layout.self] ?? '.');
  const names = lock ? lockedDownloads(await readFile(join(checkout, lock), 'utf8')) : undefined;
  return names && new Set(names);
}

/**
 * The build sandbox of the package step: checkouts read-only, its target dir, a cargo home of its
 * own with nothing in it, the overlay read-only. The checkout borrows its git objects from the
 * repository's mirror (a shared clone), so the mirror's objects are mounted read-only where the
 * checkout's are: cargo then reads the repository (whether the tree is clean, the commit it
 * records in .cargo_vcs_info.json) without any host path inside. Pure.
 */
export function packageSandbox(
  layout: TaskLayout,
  sysroot: string,
  env: Record<string, string>,
  argv: string[],
  tmpMiB: number,
  hostDirs: { overlay: string; objects: string },
): SandboxSpec {
  return {
    sysroot,
    mounts: [
      ...Object.values(layout.checkouts).map((host) => ({ host, at: sandboxCheckout(host) })),
      { host: hostDirs.objects, at: posix.join(sandboxCheckout(layout.checkouts[layout.self]!), '.git', 'objects') },
      { host: layout.targetDir, at: SANDBOX_TARGET, writable: true },
      ...cargoHomeMounts(undefined, 'read', tmpMiB),
      { host: hostDirs.overlay, at: OVERLAY_MOUNT },
    ],
    cwd: sandboxCrate(layout, layout.self),
    env,
    argv,
  };
}

/** cargo's reason, on one line: its first `error:` line and what it says was the cause. Pure. */
export function cargoError(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim());
  const i = lines.findIndex((l) => l.startsWith('error'));
  if (i < 0) return undefined;
  const rest = lines.slice(i + 1).filter((l) => l && !/^caused by:$/i.test(l) && !/^(note|help|warning)\b|^(-->|\||\d+ \|)/i.test(l));
  const cause = rest.slice(0, 2).join(' ');
  return [lines[i]!.replace(/^error(\[\w+\])?:\s*/, ''), ...(cause ? [cause] : [])].join(': ').slice(0, 400);
}

function fail(message: string, toolMs: number): CargoTaskResult {
  return { success: false, message, toolMs };
}
