import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevelopSet, DEVELOP_SET_FILE, parseDevelopSet } from '@bllvm/crates';
import { type FaultProxy, cargoEnv, cargoHomeFor, startFaultProxy } from '@bllvm/crates/testing';
import { type Pipeline, ORCHESTRATOR_REPOSITORY, addOrigin, startPipeline } from '@bllvm/demo';
import type { ReleaseRunReport } from '@bllvm/cli/testing';
import { nightlyTag } from '@bllvm/release';
import { type SandboxComponent, addCommit } from '@bllvm/sandbox';

// The nightly's develop channel (`nightly --develop`), end to end on the sandbox org: each nightly
// cuts a develop set X.Y.Z-dev.N (planned from the registry, its release commits tagged in the
// component repositories, committed beside the pins), packages those tagged trees in the build
// sandbox and uploads them to the local registry in chain order; a second nightly cuts dev.N+1;
// yanking the second, interrupted and resumed, leaves the first for a fresh resolve.
let p: Pipeline;
let scratch: string;
const [OWNER, REPO] = ORCHESTRATOR_REPOSITORY.split('/') as [string, string];

async function cli(...args: string[]) {
  const r = await p.sw.ws.cli(...args);
  return { ...r, json: args.includes('--json') && r.stdout.trim().startsWith('{') ? (JSON.parse(r.stdout) as ReleaseRunReport) : undefined };
}

async function committedSet(rev = 'HEAD'): Promise<DevelopSet> {
  return parseDevelopSet(JSON.parse(await p.sw.ws.git('show', `${rev}:${DEVELOP_SET_FILE}`)), `${rev}:${DEVELOP_SET_FILE}`);
}

/** The nightly tag of the workspace's HEAD, as published today. */
const nightlyOfHead = async () => nightlyTag(new Date(), await p.sw.ws.git('rev-parse', 'HEAD'));

const registryVersion = (name: string, vers: string) => p.sw.registry.state.snapshot().find((c) => c.name === name)?.versions.find((v) => v.vers === vers);
/** The crate lines the publish printed (crates.ts crateLine), in the order it printed them. */
const crateLines = (text: string) => text.split('\n').filter((l) => /^\s*crate \S+ \S+ sha256 [0-9a-f]{64} /.test(l)).map((l) => l.trim());

beforeAll(async () => {
  p = await startPipeline({ tag: false });
  scratch = await mkdtemp(join(tmpdir(), 'bllvm-develop-'));
  // The orchestrator's own "GitHub" remote: the pins and the develop set are pushed to it.
  await addOrigin(p.sw.ws, scratch);
}, 600_000);

afterAll(async () => {
  expect(p.api.validationErrors()).toEqual([]);
  await p?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('nightly --develop', () => {
  let first: { tag: string; set: DevelopSet };
  let second: { tag: string; set: DevelopSet };

  it('develop --dry-run plans the set and prints it, and tags, writes and commits nothing', async () => {
    const head = await p.sw.ws.git('rev-parse', 'HEAD');
    const r = await cli('develop', '--dry-run');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['bllvm-consensus 0.1.1-dev.1', 'bllvm-protocol 0.1.1-dev.1', 'bllvm-node 0.1.1-dev.1']);
    expect(r.stderr).toContain('dry run: develop set bllvm-consensus 0.1.1-dev.1, bllvm-protocol 0.1.1-dev.1, bllvm-node 0.1.1-dev.1 planned; nothing tagged, written or committed');
    expect(await p.sw.ws.git('rev-parse', 'HEAD')).toBe(head);
    expect(await p.sw.ws.git('status', '--porcelain')).toBe('');
    for (const c of ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node'] as const)
      expect((await execa('git', ['--git-dir', p.sw.org.repoPath(c), 'tag', '-l', 'v*-dev.*'])).stdout).toBe('');
  });

  it('cuts a develop set, packages its tagged trees and uploads every crate in chain order before the prerelease', async () => {
    const r = await cli('nightly', '-c', 'sandbox', '--push', '--develop');
    expect(r.exitCode, `${r.stderr.slice(-4000)}`).toBe(0);
    const set = await committedSet();
    first = { tag: await nightlyOfHead(), set };
    expect(set.crates.length).toBeGreaterThanOrEqual(3);
    for (const c of set.crates) {
      expect(c.version, c.crate).toMatch(/^\d+\.\d+\.\d+-dev\.1$/);
      // The release commit is tagged in the component's repository, on the pin the set names.
      const repo = p.sw.org.repoPath(c.component as SandboxComponent);
      expect(await execa('git', ['--git-dir', repo, 'rev-parse', `refs/tags/${c.tag}^{commit}`]).then((x) => x.stdout)).toBe(c.commit);
      expect(await execa('git', ['--git-dir', repo, 'rev-parse', `${c.commit}^`]).then((x) => x.stdout)).toBe(c.base);
      expect(c.base).toBe(/commit = "([0-9a-f]{40})"/.exec(await readFile(join(p.sw.ws.dir, 'apps', c.component, 'pin.toml'), 'utf8'))![1]);
    }
    // One line per crate, in the set's (chain) order, each now in the registry with that checksum.
    const lines = crateLines(`${r.stdout}\n${r.stderr}`);
    expect(lines.map((l) => l.split(' ').slice(1, 3).join(' '))).toEqual(set.crates.map((c) => `${c.crate} ${c.version}`));
    for (const l of lines) {
      const [, name, vers, , sha] = l.split(' ');
      expect(l).toMatch(/ published$/);
      expect(registryVersion(name!, vers!)).toEqual({ vers, yanked: false, cksum: sha });
    }
    // Each downstream crate's verify build resolved its upstream at the dev version just packaged.
    const protocol = set.crates.find((c) => c.component === 'bllvm-protocol')!;
    const consensus = set.crates.find((c) => c.component === 'bllvm-consensus')!;
    expect(r.stderr).toContain(`packaged ${protocol.crate}-${protocol.version}.crate (verified against ${consensus.crate} ${consensus.version} of this release)`);
    // The prerelease names the crates it was built with, and its manifest lists them.
    const release = p.api.state.releases(OWNER, REPO).find((x) => x.tagName === first.tag)!;
    expect(release.prerelease).toBe(true);
    for (const c of set.crates) expect(release.body).toContain(c.version);
    const manifest = JSON.parse(Buffer.from(await (await fetch(`${p.api.url}/${OWNER}/${REPO}/releases/download/${first.tag}/release-manifest.json`)).arrayBuffer()).toString()) as {
      components: { component: string; commit: string; crate?: { name: string; version: string; commit: string; tag?: string } }[];
    };
    // Each library's entry: built at its pin, its crate packaged from the tagged release commit on it.
    expect(manifest.components.flatMap((c) => (c.crate ? [`${c.component} ${c.commit} ${c.crate.name} ${c.crate.version} ${c.crate.commit} ${c.crate.tag}`] : []))).toEqual(
      set.crates.map((c) => `${c.component} ${c.base} ${c.crate} ${c.version} ${c.commit} ${c.tag}`),
    );
  });

  it('each uploaded .crate is a fresh `cargo package` of its tag\'s tree: byte for byte, or every file but the lock\'s newer registry dependency', async () => {
    // Every repository side by side as the manifests' `../<repo>` paths expect: the libraries at their
    // develop tags, the rest at their pins. Packaged on the host with cargo against the registry the
    // set went to (no build: --no-verify), so the upstreams resolve at the dev versions just uploaded.
    const trees = join(scratch, 'trees');
    await mkdir(trees, { recursive: true });
    const tags = new Map(first.set.crates.map((c) => [c.component, c.tag!]));
    for (const c of ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app'] as const) {
      const at = tags.get(c) ?? /commit = "([0-9a-f]{40})"/.exec(await readFile(join(p.sw.ws.dir, 'apps', c, 'pin.toml'), 'utf8'))![1]!;
      await execa('git', ['clone', '--quiet', p.sw.org.repoPath(c), join(trees, c)]);
      await execa('git', ['-c', 'advice.detachedHead=false', 'checkout', '--quiet', at], { cwd: join(trees, c) });
    }
    const home = await cargoHomeFor(join(scratch, 'package-home'), p.sw.registry);
    for (const c of first.set.crates) {
      const r = await execa('cargo', ['package', '--no-verify', '--quiet'], { cwd: join(trees, c.component), env: cargoEnv(home, join(scratch, 'package-target')), extendEnv: false, reject: false });
      expect(r.exitCode, r.stderr).toBe(0);
      const made = await readFile(join(scratch, 'package-target', 'package', `${c.crate}-${c.version}.crate`));
      const uploaded = Buffer.from(await (await fetch(`${p.sw.registry.url}/api/v1/crates/${c.crate}/${c.version}/download`)).arrayBuffer());
      expect(createHash('sha256').update(uploaded).digest('hex')).toBe(registryVersion(c.crate, c.version)?.cksum);
      if (createHash('sha256').update(made).digest('hex') === registryVersion(c.crate, c.version)?.cksum) continue;
      // Only the packaged Cargo.lock may differ, and only where a fresh online resolve takes a newer
      // registry dependency than the tag's own lock, which the sandbox's offline package keeps (cargo
      // reads no library's packaged lock when it resolves it as a dependency).
      const [a, b] = [join(scratch, 'unpacked', 'fresh', c.crate), join(scratch, 'unpacked', 'uploaded', c.crate)];
      for (const [dir, bytes] of [[a, made], [b, uploaded]] as const) {
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, '..', `${c.crate}.crate`), bytes);
        await execa('tar', ['-xzf', join(dir, '..', `${c.crate}.crate`), '-C', dir]);
      }
      const diff = await execa('diff', ['-r', '--exclude=Cargo.lock', a, b], { reject: false });
      expect(diff.exitCode, `${c.crate} ${c.version}: ${diff.stdout.slice(0, 2000)}`).toBe(0);
      const lockDiff = await execa('diff', [join(a, `${c.crate}-${c.version}`, 'Cargo.lock'), join(b, `${c.crate}-${c.version}`, 'Cargo.lock')], { reject: false });
      expect(lockDiff.stdout.split('\n').filter((l) => /^[<>] /.test(l)).every((l) => /^[<>] ( "leaf( [\d.]+)?",|name = "leaf"|version = "[\d.]+"|source = "registry\+[^"]*"|checksum = "[0-9a-f]{64}"|\[\[package\]\]|)$/.test(l)), lockDiff.stdout).toBe(true);
    }
  });

  it('a second nightly after a change cuts dev.2 of every crate, leaving dev.1 in the registry', async () => {
    await addCommit(p.sw.org, 'bllvm-node', { message: 'node: a change for the second develop set' });
    const r = await cli('nightly', '-c', 'sandbox', '--push', '--develop', '--json');
    expect(r.exitCode, `${r.stderr.slice(-4000)}`).toBe(0);
    const set = await committedSet();
    second = { tag: r.json!.tag, set };
    expect(second.tag).toBe(await nightlyOfHead());
    expect(second.tag).not.toBe(first.tag);
    expect(set.crates.map((c) => c.crate)).toEqual(first.set.crates.map((c) => c.crate));
    for (const [i, c] of set.crates.entries()) {
      expect(c.version).toBe(first.set.crates[i]!.version.replace(/-dev\.1$/, '-dev.2'));
      expect(registryVersion(c.crate, c.version)?.yanked).toBe(false);
      expect(registryVersion(c.crate, first.set.crates[i]!.version)?.yanked).toBe(false);
    }
    // The libraries nothing changed in were not rebuilt: only their package tasks ran again.
    const built = r.json!.tasks.filter((t) => t.status === 'built').map((t) => t.task);
    expect(built).not.toContain('bllvm-consensus:build');
    expect(built).toContain('bllvm-consensus:package');
  });

  it('a rerun with nothing changed publishes nothing and keeps the set', async () => {
    const head = await p.sw.ws.git('rev-parse', 'HEAD');
    const r = await cli('nightly', '-c', 'sandbox', '--push', '--develop');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('nothing changed since the last release');
    expect(await p.sw.ws.git('rev-parse', 'HEAD')).toBe(head);
  });

  it('yanking the second, interrupted by the registry and resumed, yanks every crate of it, dependents first, and keeps the first', async () => {
    const proxy: FaultProxy = await startFaultProxy(p.sw.registry.url);
    const saved = p.sw.ws.env.BLLVM_CARGO_REGISTRY;
    p.sw.ws.env.BLLVM_CARGO_REGISTRY = proxy.indexUrl;
    try {
      // The second crate's yank (reverse chain order) fails past the client's retries: the most
      // downstream crate is out, the rest wait for --resume.
      const next = second.set.crates.at(-2)!;
      proxy.failNext(`/api/v1/crates/${next.crate}/${next.version}/yank`, 4, 503);
      const stopped = await cli('yank', second.tag, '--repository', `${OWNER}/${REPO}`);
      expect(stopped.exitCode, stopped.stderr).toBe(1);
      expect(stopped.stderr).toMatch(/rerun with --resume to continue/);
      expect(second.set.crates.filter((c) => registryVersion(c.crate, c.version)?.yanked).length).toBe(1);
      expect(registryVersion(second.set.crates.at(-1)!.crate, second.set.crates.at(-1)!.version)?.yanked).toBe(true);
      const resumed = await cli('yank', second.tag, '--repository', `${OWNER}/${REPO}`, '--resume');
      expect(resumed.exitCode, resumed.stderr).toBe(0);
      expect(resumed.stdout).toContain('versions.toml: left as it is');
    } finally {
      p.sw.ws.env.BLLVM_CARGO_REGISTRY = saved;
      await proxy.stop();
    }
    for (const c of second.set.crates) expect(registryVersion(c.crate, c.version)?.yanked, `${c.crate} ${c.version}`).toBe(true);
    for (const c of first.set.crates) expect(registryVersion(c.crate, c.version)?.yanked, `${c.crate} ${c.version}`).toBe(false);
    expect(p.api.state.releases(OWNER, REPO).find((x) => x.tagName === second.tag)?.name).toMatch(/superseded/);
  });

  it('a fresh downstream crate asking for the develop channel resolves the first set', async () => {
    const top = first.set.crates.at(-1)!;
    const dir = join(scratch, 'downstream');
    await mkdir(join(dir, 'src'), { recursive: true });
    const x = top.version.replace(/-dev\.1$/, '');
    await writeFile(join(dir, 'Cargo.toml'), `[package]\nname = "downstream"\nversion = "0.0.1"\nedition = "2021"\n\n[dependencies]\n${top.crate} = "${x}-dev.1"\n`);
    await writeFile(join(dir, 'src', 'lib.rs'), '');
    const home = await cargoHomeFor(join(scratch, 'cargo-home'), p.sw.registry);
    const r = await execa('cargo', ['generate-lockfile'], { cwd: dir, env: cargoEnv(home, join(scratch, 'target')), extendEnv: false, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    const lock = await readFile(join(dir, 'Cargo.lock'), 'utf8');
    for (const c of first.set.crates.filter((c) => lock.includes(`name = "${c.crate}"`))) expect(lock).toContain(`name = "${c.crate}"\nversion = "${c.version}"`);
    expect(lock).toContain(`name = "${top.crate}"\nversion = "${top.version}"`);
    expect(lock).not.toMatch(/-dev\.2"/);
  });
});
