// The upload engine with real .crate files (real `cargo package` of a small workspace with
// path+version dependencies) against the local cargo registry, through a proxy that can refuse one
// crate or hold new versions out of the index; real cargo resolves the result.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCargoRegistry, type CargoRegistry } from '@bllvm/cargo-registry';
import { execa } from 'execa';
import { parse } from 'smol-toml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from './journal-file';
import { publishChain, resumePublishChain, type PublishChainOptions } from './publish-chain';
import { renderReport } from './publish-report';
import { RegistryClient } from './registry-client';
import { cargoEnv, cargoHomeFor, packageWorkspace, type PackagedCrate } from './test/cargo-packages';
import { startFaultProxy, type FaultProxy } from './test/registry-faults';

const TOKEN = 'cio_chain_secret_51c0';

// chain-base ← chain-mid ← chain-top, and chain-side (on chain-base only), in graph order.
const WORKSPACE = [
  { name: 'chain-base', version: '0.1.0', deps: [] },
  { name: 'chain-mid', version: '0.2.0', deps: ['chain-base'] },
  { name: 'chain-side', version: '0.1.0', deps: ['chain-base'] },
  { name: 'chain-top', version: '1.0.0', deps: ['chain-mid', 'chain-base'] },
];

let root: string;
let release: PackagedCrate[];
/** chain-base 0.1.0 again, with other bytes. */
let otherBase: PackagedCrate;

let registry: CargoRegistry;
let proxy: FaultProxy;
let cases = 0;
const running: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bllvm-publish-chain-'));
  const packaging = await startCargoRegistry({ token: TOKEN });
  try {
    const home = await cargoHomeFor(join(root, 'package-home'), packaging);
    const [a, b] = [join(root, 'ws'), join(root, 'ws-other')];
    await Promise.all([mkdir(a), mkdir(b)]);
    release = await packageWorkspace(a, home, packaging, WORKSPACE);
    otherBase = (await packageWorkspace(b, home, packaging, [{ name: 'chain-base', version: '0.1.0', deps: [], marker: 'other bytes' }]))[0]!;
  } finally {
    await packaging.stop();
  }
});

/** A fresh registry behind a fresh proxy for each case. */
async function freshRegistry(): Promise<void> {
  await stopRegistry();
  registry = await startCargoRegistry({ token: TOKEN });
  proxy = await startFaultProxy(registry.url);
  running.push(proxy, registry);
}

async function stopRegistry(): Promise<void> {
  for (const server of running.splice(0)) await server.stop();
}

afterEach(stopRegistry);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

function options(overrides: Partial<PublishChainOptions> = {}): PublishChainOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    registry: new RegistryClient({ indexUrl: proxy.indexUrl, token: TOKEN, name: 'local-registry', retryBaseMs: 5 }),
    journalFile: join(root, `journal-${++cases}.json`),
    pollMs: 50,
    maxPollMs: 200,
    visibilityTimeoutMs: 10_000,
    log: (line) => lines.push(line),
    ...overrides,
    lines,
  };
}

const uploadsOf = (from: number) => proxy.uploads().slice(from);
const checksumInRegistry = (name: string) => registry.state.snapshot().find((c) => c.name === name)?.versions[0]?.cksum;

describe('publishing a release chain', () => {
  it('publishes in graph order, each resolvable by real cargo afterwards; a rerun uploads nothing', async () => {
    await freshRegistry();
    const opts = options();
    const report = await publishChain(release, opts);
    expect(report.complete).toBe(true);
    expect(report.crates.map((c) => [c.name, c.outcome, c.uploadedThisRun])).toEqual(release.map((c) => [c.name, 'published', true]));
    expect(proxy.uploads()).toEqual(['chain-base@0.1.0', 'chain-mid@0.2.0', 'chain-side@0.1.0', 'chain-top@1.0.0']);
    for (const c of release) expect(checksumInRegistry(c.name)).toBe(c.sha256);
    expect((await readJournal(opts.journalFile))!.entries.map((e) => e.state)).toEqual(['done', 'done', 'done', 'done']);

    // Real cargo: a new project depending on the top of the chain resolves and downloads all of it.
    const app = join(root, 'app');
    await mkdir(join(app, 'src'), { recursive: true });
    await writeFile(join(app, 'Cargo.toml'), '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nchain-top = "1"\nchain-side = "0.1"\n');
    await writeFile(join(app, 'src', 'main.rs'), 'fn main() { println!("{}", chain_top::VALUE + chain_side::VALUE); }\n');
    const env = cargoEnv(await cargoHomeFor(join(root, 'app-home'), registry), join(root, 'app-target'));
    const fetched = await execa('cargo', ['fetch'], { cwd: app, env, extendEnv: false, reject: false, all: true });
    expect(fetched.exitCode, fetched.all).toBe(0);
    const lock = parse(await readFile(join(app, 'Cargo.lock'), 'utf8')) as unknown as { package: { name: string; version: string; checksum?: string }[] };
    const locked = Object.fromEntries(lock.package.filter((p) => p.checksum).map((p) => [p.name, [p.version, p.checksum]]));
    expect(locked).toEqual(Object.fromEntries(release.map((c) => [c.name, [c.version, c.sha256]])));

    // The same run again: the journal says everything is done; nothing is sent at all.
    const requests = proxy.requests().length;
    const again = await publishChain(release, { ...opts, log: () => undefined });
    expect(again.complete).toBe(true);
    expect(again.crates.every((c) => c.outcome === 'published' && !c.uploadedThisRun)).toBe(true);
    expect(proxy.requests().length).toBe(requests);

    // A new journal against the same registry: every crate is found with the same bytes, none uploaded.
    const uploads = proxy.uploads().length;
    const fresh = await publishChain(release, options());
    expect(fresh.crates.map((c) => c.outcome)).toEqual(['already-present', 'already-present', 'already-present', 'already-present']);
    expect(uploadsOf(uploads)).toEqual([]);
  });

  it('counts a crate already out with the same bytes as done, and refuses one out with other bytes, naming both checksums', async () => {
    await freshRegistry();
    // chain-base is out with these bytes already; chain-side is out with others.
    const client = new RegistryClient({ indexUrl: registry.indexUrl, token: TOKEN });
    await client.publish(await readFile(release[0]!.crateFile), 'chain-base.crate');
    const sameFirst = await publishChain([release[0]!], options());
    expect(sameFirst.crates[0]).toMatchObject({ outcome: 'already-present', uploadedThisRun: false });
    expect(proxy.uploads()).toEqual([]);

    await freshRegistry();
    await new RegistryClient({ indexUrl: registry.indexUrl, token: TOKEN }).publish(await readFile(otherBase.crateFile), 'other.crate');
    const opts = options();
    const report = await publishChain(release, opts);
    expect(report.crates.map((c) => [c.name, c.outcome])).toEqual([
      ['chain-base', 'failed'],
      ['chain-mid', 'blocked'],
      ['chain-side', 'blocked'],
      ['chain-top', 'blocked'],
    ]);
    const reason = report.crates[0]!.reason!;
    expect(reason).toContain(`already in local-registry with checksum ${otherBase.sha256}`);
    expect(reason).toContain(`this release's .crate has checksum ${release[0]!.sha256}`);
    expect(proxy.uploads()).toEqual([]);
    expect(checksumInRegistry('chain-base')).toBe(otherBase.sha256);
    expect(renderReport(report)).toMatch(/\n {2}blocked +chain-top 1\.0\.0: waits for chain-base \(failed\)\n/);
    const journal = await readJournal(opts.journalFile);
    expect(journal!.entries[0]).toMatchObject({ state: 'failed', indexChecksum: otherBase.sha256 });
  });

  it('blocks the dependents of a refused crate while an independent crate still publishes; the resumed run completes once the fault is cleared', async () => {
    await freshRegistry();
    proxy.refusePublish('chain-mid', 400, 'crate chain-mid is under review by the registry staff');
    const opts = options();
    const report = await publishChain(release, opts);
    expect(report.crates.map((c) => [c.name, c.outcome])).toEqual([
      ['chain-base', 'published'],
      ['chain-mid', 'failed'],
      ['chain-side', 'published'],
      ['chain-top', 'blocked'],
    ]);
    expect(report.crates[1]!.reason).toBe('local-registry: publishing chain-mid 0.2.0 failed: HTTP 400: crate chain-mid is under review by the registry staff');
    expect(report.crates[3]!.behind).toEqual([{ crate: 'chain-mid', reason: report.crates[1]!.reason }]);
    expect(proxy.uploads()).toEqual(['chain-base@0.1.0', 'chain-side@0.1.0']);
    expect(proxy.requests().some((r) => r.crate === 'chain-top@1.0.0')).toBe(false);
    expect(renderReport(report)).toMatch(/journal .*journal-\d+\.json: run again to retry/);

    proxy.clearRefusals();
    const uploads = proxy.uploads().length;
    const resumed = await resumePublishChain({ ...opts, registry: new RegistryClient({ indexUrl: proxy.indexUrl, token: TOKEN, name: 'local-registry' }) });
    expect(resumed.complete).toBe(true);
    expect(resumed.crates.map((c) => [c.name, c.outcome, c.uploadedThisRun])).toEqual([
      ['chain-base', 'published', false],
      ['chain-mid', 'published', true],
      ['chain-side', 'published', false],
      ['chain-top', 'published', true],
    ]);
    expect(uploadsOf(uploads)).toEqual(['chain-mid@0.2.0', 'chain-top@1.0.0']);
  });

  it('waits until the index lists a new version before its dependents start', async () => {
    await freshRegistry();
    const LAG = 400;
    proxy.delayIndex(LAG);
    const opts = options();
    const report = await publishChain(release, opts);
    expect(report.complete).toBe(true);
    const at = (crate: string) => proxy.requests().find((r) => r.crate === crate && r.status === 200)!.at;
    expect(at('chain-mid@0.2.0') - at('chain-base@0.1.0')).toBeGreaterThanOrEqual(LAG);
    expect(at('chain-top@1.0.0') - at('chain-mid@0.2.0')).toBeGreaterThanOrEqual(LAG);
    // It polled: the index said "not found" for chain-base after its upload, then listed it.
    const polls = proxy.requests().filter((r) => r.path === '/index/ch/ai/chain-base' && r.at >= at('chain-base@0.1.0'));
    expect(polls.map((r) => r.status)).toContain(404);
    expect(polls.at(-1)!.status).toBe(200);
    expect(opts.lines).toContain('chain-base 0.1.0: uploaded, waiting for the index to list it');
  });

  it('fails a crate the index does not list within the bounded wait, and a rerun finds it without uploading it again', async () => {
    await freshRegistry();
    proxy.delayIndex(60_000);
    const opts = options({ visibilityTimeoutMs: 400 });
    const report = await publishChain(release, opts);
    expect(report.crates.map((c) => [c.name, c.outcome])).toEqual([
      ['chain-base', 'failed'],
      ['chain-mid', 'blocked'],
      ['chain-side', 'blocked'],
      ['chain-top', 'blocked'],
    ]);
    expect(report.crates[0]!.reason).toMatch(/^uploaded to local-registry, but its index did not list chain-base 0\.1\.0 within 0\.4 s; run again/);
    expect(proxy.uploads()).toEqual(['chain-base@0.1.0']);

    proxy.delayIndex(0);
    proxy.releaseIndex();
    const resumed = await resumePublishChain(opts);
    expect(resumed.complete).toBe(true);
    expect(resumed.crates.map((c) => [c.name, c.outcome])).toEqual(release.map((c) => [c.name, 'published']));
    expect(proxy.uploads()).toEqual(['chain-base@0.1.0', 'chain-mid@0.2.0', 'chain-side@0.1.0', 'chain-top@1.0.0']);
  });

  it('refuses a .crate that is not what the release lists, before asking the registry anything', async () => {
    await freshRegistry();
    const [base, mid] = [release[0]!, release[1]!];
    const report = await publishChain(
      [
        { ...base, sha256: otherBase.sha256 },
        { ...mid, name: 'chain-side', dependsOn: [] },
        { ...base, name: 'chain-gone', crateFile: join(root, 'missing.crate') },
      ],
      options(),
    );
    expect(report.crates.map((c) => c.reason)).toEqual([
      `${base.crateFile} has sha256 ${base.sha256}, but the release lists ${otherBase.sha256} for chain-base 0.1.0; package it again or correct the list`,
      `${mid.crateFile} holds chain-mid 0.2.0, not chain-side 0.2.0; correct the release list`,
      `cannot read ${join(root, 'missing.crate')}: ENOENT`,
    ]);
    expect(proxy.requests()).toEqual([]);
  });

  it('counts an upload whose answer was lost as published: the retry is refused, the index decides', async () => {
    await freshRegistry();
    // The registry stores chain-base but its answer is lost (a 502 from a gateway); the client's
    // retry is then refused as "already uploaded". The index, not the error, decides.
    proxy.failNext('/api/v1/crates/new', 1, 502, { afterForward: true });
    const report = await publishChain([release[0]!], options());
    expect(report.crates[0]).toMatchObject({ outcome: 'published', uploadedThisRun: true });
    expect(proxy.requests().filter((r) => r.path === '/api/v1/crates/new').map((r) => r.status)).toEqual([502, 400]);
    expect(checksumInRegistry('chain-base')).toBe(release[0]!.sha256);
  });
});
