// The publish step's crate uploads with real `.crate` files (real `cargo package` of a small
// workspace with path+version dependencies), laid out in dist/ as the package target writes them
// and read back through the release plan, against the local cargo registry behind a proxy that
// can refuse one crate's uploads.
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCargoRegistry, type CargoRegistry } from '@bllvm/cargo-registry';
import { readConfig } from '@bllvm/contract';
import { readJournal } from '@bllvm/crates';
import { cargoHomeFor, packageWorkspace, startFaultProxy, type FaultProxy, type PackagedCrate } from '@bllvm/crates/testing';
import { componentDist, type CrateRecord } from '@bllvm/manifest';
import { type ReleasePlan, assembleReleasePlan, readPackagedCrate } from '@bllvm/release';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CratesNotPublishedError, cratesJournalFile, publishReleaseCrates } from './crates';
import { normalizePublishRequest } from './request';

const TOKEN = 'cio_publish_step_secret_7f3a';
const TAG = 'v0.4.0';
const HEAD = 'c'.repeat(40);

// base ← side ← leaf, base ← mid ← top: in graph order, mid is the third upload.
const WORKSPACE = [
  { name: 'pub-base', version: '0.1.0', deps: [] },
  { name: 'pub-side', version: '0.1.0', deps: ['pub-base'] },
  { name: 'pub-mid', version: '0.2.0', deps: ['pub-base'] },
  { name: 'pub-top', version: '1.0.0', deps: ['pub-mid'] },
  { name: 'pub-leaf', version: '0.3.0', deps: ['pub-side'] },
];
const commitOf = (component: string) => component.replace(/[^a-f]/g, 'a').padEnd(40, 'a').slice(0, 40);

let root: string;
let packaged: PackagedCrate[];
let registry: CargoRegistry;
let proxy: FaultProxy;
const running: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bllvm-publish-crates-'));
  const packaging = await startCargoRegistry({ token: TOKEN });
  try {
    const ws = join(root, 'ws');
    await mkdir(ws);
    packaged = await packageWorkspace(ws, await cargoHomeFor(join(root, 'package-home'), packaging), packaging, WORKSPACE);
  } finally {
    await packaging.stop();
  }
});

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

let cases = 0;

/** dist/ as the package target leaves it (a record and the .crate per component), read back into a checked plan. */
async function planFromDist(): Promise<ReleasePlan> {
  const dist = join(root, `dist-${++cases}`);
  const components: Parameters<typeof assembleReleasePlan>[0]['components'][number][] = [];
  for (const c of packaged) {
    const id = c.name.replace(/^pub-/, '');
    const where = componentDist(dist, id).crate;
    await mkdir(where.dir, { recursive: true });
    const file = `${c.name}-${c.version}.crate`;
    await copyFile(c.crateFile, join(where.dir, file));
    const { size } = await stat(c.crateFile);
    const record: CrateRecord = { component: id, crate: c.name, version: c.version, file, size, sha256: c.sha256, commit: commitOf(id), tag: `v${c.version}`, dependsOn: c.dependsOn };
    await writeFile(where.record, JSON.stringify(record));
    const crate = await readPackagedCrate(where);
    const commit = commitOf(id);
    components.push({
      component: { id, repository: `Org/${c.name}`, pin: { commit } as never, kinds: ['library'] },
      buildRecord: { component: id, commit, version: c.version } as never,
      sbom: { crate: c.name, commit, lockText: '' },
      ...(crate ? { crate } : {}),
    });
  }
  const pins = Object.fromEntries(components.map((c) => [c.component.id, c.component.pin.commit]));
  return assembleReleasePlan({ tag: TAG, orchestratorCommit: HEAD, createdAt: '2026-12-01T00:00:00.000Z', components, history: { orchestratorCommit: HEAD, pins }, historyCommand: 'h' });
}

function request(opts: { token?: string; dryRun?: boolean; workDir?: string } = {}) {
  const lines: string[] = [];
  const env = { GITHUB_REPOSITORY: 'BTCDecoded/bllvm', BLLVM_CARGO_REGISTRY: proxy.indexUrl, BLLVM_WORK_DIR: opts.workDir ?? join(root, `work-${cases}`), ...(opts.token !== '' ? { BLLVM_CARGO_REGISTRY_TOKEN: opts.token ?? TOKEN } : {}) };
  const req = normalizePublishRequest({}, { workspaceRoot: root, tag: TAG, dryRun: opts.dryRun ?? false, config: readConfig(root, env), log: (l) => lines.push(l) });
  return { req, lines };
}

const fast = { pollMs: 20, visibilityTimeoutMs: 10_000, client: { retryBaseMs: 5 } };
const LINE = /^crate (\S+) (\S+) sha256 ([0-9a-f]{64}) (.+)$/;
const perCrate = (lines: string[]) =>
  lines.flatMap((l) => {
    const m = LINE.exec(l);
    return m ? [{ name: m[1]!, version: m[2]!, sha: m[3]!, outcome: m[4]! }] : [];
  });

describe('the publish step uploading the release\'s crates', () => {
  it('uploads them in chain order, one line per crate (name, version, checksum, outcome); a dry run uploads nothing and says what it would', async () => {
    await freshRegistry();
    const plan = await planFromDist();
    const dry = request({ dryRun: true });
    expect(await publishReleaseCrates(dry.req, plan, fast)).toBeUndefined();
    expect(proxy.requests()).toEqual([]);
    expect(perCrate(dry.lines)).toEqual(packaged.map((c) => ({ name: c.name, version: c.version, sha: c.sha256, outcome: 'would be published' })));

    const { req, lines } = request();
    const report = await publishReleaseCrates(req, plan, fast);
    expect(report?.complete).toBe(true);
    expect(proxy.uploads()).toEqual(packaged.map((c) => `${c.name}@${c.version}`));
    expect(lines).toEqual(packaged.map((c) => `crate ${c.name} ${c.version} sha256 ${c.sha256} published`));
    for (const c of packaged) expect(registry.state.snapshot().find((x) => x.name === c.name)?.versions.map((v) => v.cksum)).toEqual([c.sha256]);
  });

  it('after a 5xx on the third upload: the journal says what is out, its dependents wait, an independent branch goes on; reruns upload only the rest, then nothing', async () => {
    await freshRegistry();
    proxy.refusePublish('pub-mid', 500, 'the registry had an internal error');
    const plan = await planFromDist();
    const first = request();
    const error = await publishReleaseCrates(first.req, plan, fast).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CratesNotPublishedError);
    const journalFile = cratesJournalFile(first.req.config.workDir, TAG);
    expect((error as Error).message).toBe(
      `3 of 5 crates are on ${proxy.indexUrl}; not out: pub-mid 0.2.0 (FAILED), pub-top 1.0.0 (blocked); nothing else of the release was published; ` +
        `rerun the same command: it uploads only what is not out (journal ${journalFile})`,
    );
    expect(proxy.uploads()).toEqual(['pub-base@0.1.0', 'pub-side@0.1.0', 'pub-leaf@0.3.0']);
    expect(proxy.requests().some((r) => r.crate === 'pub-top@1.0.0')).toBe(false);
    const journal = await readJournal(journalFile);
    expect(journal!.entries.map((e) => [e.name, e.state])).toEqual([
      ['pub-base', 'done'],
      ['pub-side', 'done'],
      ['pub-mid', 'failed'],
      ['pub-top', 'blocked'],
      ['pub-leaf', 'done'],
    ]);
    expect(journal!.entries[2]!.reason).toMatch(/publishing pub-mid 0\.2\.0 failed: HTTP 500: the registry had an internal error/);
    expect(perCrate(first.lines).map((c) => [c.name, c.outcome.replace(/:.*/, '')])).toEqual([
      ['pub-base', 'published'],
      ['pub-side', 'published'],
      ['pub-mid', 'FAILED'],
      ['pub-top', 'blocked'],
      ['pub-leaf', 'published'],
    ]);

    proxy.clearRefusals();
    const before = proxy.uploads().length;
    const second = request({ workDir: first.req.config.workDir });
    expect((await publishReleaseCrates(second.req, plan, fast))?.complete).toBe(true);
    expect(proxy.uploads().slice(before)).toEqual(['pub-mid@0.2.0', 'pub-top@1.0.0']);
    expect(perCrate(second.lines).map((c) => c.outcome)).toEqual(['published (by an earlier run)', 'published (by an earlier run)', 'published', 'published', 'published (by an earlier run)']);

    const requests = proxy.requests().length;
    const third = request({ workDir: first.req.config.workDir });
    expect((await publishReleaseCrates(third.req, plan, fast))?.complete).toBe(true);
    expect(proxy.uploads().length).toBe(before + 2);
    // Only the registry's config.json is read: the journal says every crate is done.
    expect(proxy.requests().slice(requests).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /index/config.json']);
    expect(perCrate(third.lines)).toHaveLength(5);
  });

  it('a token the registry refuses fails with a clear error that holds no token; none at all fails before any upload', async () => {
    await freshRegistry();
    const plan = await planFromDist();
    const wrong = 'cio_wrong_token_d00d_9b1e';
    const { req, lines } = request({ token: wrong });
    const error = (await publishReleaseCrates(req, plan, fast).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(CratesNotPublishedError);
    expect(error.message).toMatch(new RegExp(`^${proxy.indexUrl.replace(/[.+/]/g, '\\$&')} refused the upload token \\(BLLVM_CARGO_REGISTRY_TOKEN\\): check that it is set, valid and may publish these crates; 0 of 5 crates are on`));
    expect(`${error.message}\n${error.stack}\n${lines.join('\n')}`).not.toContain(wrong);
    expect(proxy.uploads()).toEqual([]);
    expect(perCrate(lines).map((c) => c.outcome.replace(/:.*/, ''))).toEqual(['FAILED', 'blocked', 'blocked', 'blocked', 'blocked']);

    const none = request({ token: '' });
    await expect(publishReleaseCrates(none.req, plan, fast)).rejects.toThrow(`5 crate(s) to publish to ${proxy.indexUrl}, but BLLVM_CARGO_REGISTRY_TOKEN is not set; nothing was published`);
    expect(proxy.uploads()).toEqual([]);
  });
});
