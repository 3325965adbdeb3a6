// The 'real' profile's crates are real: cloned side by side into folders named after their
// repositories they build and test with the real cargo, offline, as the manifests are — the
// stack's crates.io ranges resolve through each manifest's own [patch.crates-io], no --config;
// the registry crates (leaf, mid, fancy) come from the local registry, fetched once per checkout.
// Before the rename the six are cloned by their old names and build with their path
// dependencies; commons builds from its subfolder and from the root; a committed lock is
// honoured; a fault at head fails its crate and its dependents.
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REAL_REPOSITORY_NAMES,
  SANDBOX_OWNER,
  SANDBOX_VERIFY_COMMAND,
  addRepository,
  createSandboxOrg,
  profileFacts,
  setFault,
  type SandboxOrg,
} from './index';
import { checkoutAt, sandboxCargoEnv, tempDir, withSandboxRegistry } from './testing';

let root: string;
let org: SandboxOrg<string>;
const FACTS = profileFacts('real');
const HEADS = [...REAL_REPOSITORY_NAMES, 'blvm-mempool'];
const RENAMED = FACTS.filter((f) => f.formerNames.length > 0);
const registry = withSandboxRegistry();

/** Folder of a checkout: side by side, named after the repository (its old name before the rename). */
const head = (repo: string) => join(root, 'head', repo);
const pre = (name: string) => join(root, 'pre', name);

async function clone(name: string, dest: string, sha?: string): Promise<void> {
  await execa('git', ['clone', '--quiet', `${org.gitBaseUrl}${SANDBOX_OWNER}/${name}.git`, dest]);
  if (sha) await execa('git', ['checkout', '--quiet', '--detach', sha], { cwd: dest });
}

beforeAll(async () => {
  root = await tempDir('real-cargo');
  org = await addRepository(await createSandboxOrg({ dir: join(root, 'org'), profile: 'real' }), 'blvm-mempool');
  const crates: string[] = [];
  for (const r of HEADS) {
    await clone(r, head(r));
    crates.push(head(r));
  }
  crates.push(join(head('blvm-sdk'), 'examples', 'simple-module'));
  for (const f of FACTS) {
    const old = f.formerNames[0];
    const mark = old ? org.history[f.repository]!.beforeRename! : org.history[f.repository]!.initial!;
    await clone(old ?? f.repository, pre(old ?? f.repository), mark);
    crates.push(join(pre(old ?? f.repository), f.crateDirs[old ? 'beforeRename' : 'initial']!));
  }
  // The one step that needs the registry, as a pipeline's download step; everything after is offline.
  for (const cwd of crates) {
    const r = await cargo(cwd, ['fetch']);
    expect(r.exitCode, `${cwd}: ${r.all}`).toBe(0);
  }
}, 180_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/**
 * cargo as a pipeline would run it: no --config, a CARGO_HOME whose only registry is the local
 * one, one target dir per side of the rename shared by every crate.
 */
function cargo(cwd: string, args: string[], target = 'head') {
  return execa('cargo', args, {
    cwd,
    env: {
      ...sandboxCargoEnv(registry()),
      CARGO_TARGET_DIR: join(root, 'target', target),
      CARGO_TERM_COLOR: 'never',
    },
    reject: false,
    all: true,
  });
}

function expectClean(r: { exitCode?: number; all?: string }): void {
  expect(r.exitCode, r.all).toBe(0);
  expect(r.all).not.toMatch(/^warning/m);
}

describe('at the heads', () => {
  it.each(HEADS)('%s builds and tests offline, warning-free, as its manifest is', async (repo) => {
    expectClean(await cargo(head(repo), ['build', '--offline']));
    for (const bin of FACTS.find((f) => f.repository === repo)?.binaries ?? []) {
      expect(existsSync(join(root, 'target', 'head', 'debug', bin)), bin).toBe(true);
    }
    const t = await cargo(head(repo), ['test', '--offline']);
    expectClean(t);
    expect(t.all).toMatch(/test result: ok\. [1-9]\d* passed/);
  });

  it('optional edges build too: all features of consensus, protocol, node and the node binary (which then links the sdk)', async () => {
    for (const repo of ['blvm-consensus', 'blvm-protocol', 'blvm-node', 'blvm']) {
      expectClean(await cargo(head(repo), ['test', '--offline', '--all-features']));
    }
    expectClean(await cargo(head('blvm'), ['build', '--offline', '--all-features']));
    const bin = join(root, 'target', 'head', 'debug', 'blvm');
    expect((await execa(bin, ['--keygen'])).stdout).toMatch(/^public [0-9a-f]+$/);
    expect((await execa(bin, ['--blocks', '2'])).stdout).toMatch(/height=2/);
  });

  it("the node binary's default features are forwarded to blvm-node", async () => {
    expectClean(await cargo(head('blvm'), ['build', '--offline']));
    expect((await execa(join(root, 'target', 'head', 'debug', 'blvm'), ['--features'])).stdout).toBe('sysinfo,redb');
  });

  it('the verify command runs the consensus proofs', async () => {
    const r = await cargo(head('blvm-consensus'), SANDBOX_VERIFY_COMMAND.slice(1));
    expectClean(r);
    expect(r.all).toMatch(/proofs::proof_subsidy_halves_each_era_and_never_increases \.\.\. ok/);
  });

  it('examples/simple-module, a manifest that is no component, builds against the sdk by path', async () => {
    expectClean(await cargo(join(head('blvm-sdk'), 'examples', 'simple-module'), ['build', '--offline']));
  });

  it('the governance app paints with fancy\'s color feature', async () => {
    expectClean(await cargo(head('blvm-commons'), ['build', '--offline']));
    expect((await execa(join(root, 'target', 'head', 'debug', 'blvm-commons'))).stdout).toContain('demo release [red]v0.1.0[/red] approved by 2');
  });

  it('took the registry crates from the local registry only: the one index cargo knows is on 127.0.0.1', async () => {
    expect(await readdir(join(registry().cargoHome, 'registry', 'index'))).toEqual([expect.stringMatching(/^127\.0\.0\.1-/)]);
    const downloads = registry()
      .registry.log()
      .filter((e) => e.operation === 'download' && e.status === 200)
      .map((e) => e.path.replace(/^\/api\/v1\/crates\/|\/download$/g, ''));
    expect(new Set(downloads)).toEqual(new Set(['leaf/0.1.3', 'leaf/0.2.0', 'mid/0.3.1', 'fancy/1.0.0', 'tint/0.1.0']));
  });
});

describe('committed locks', () => {
  // Each in a target dir of its own, so leaf is compiled there and the output names the version built.
  it.each([
    ['blvm-primitives at head', () => head('blvm-primitives'), 'blvm-primitives'],
    ['bllvm-consensus before the rename', () => pre('bllvm-consensus'), 'bllvm-consensus'],
  ])('%s builds the leaf its Cargo.lock pins (0.1.3), though 0.2.0 also meets its range', async (_what, dir, rootName) => {
    const lockFile = join(dir(), 'Cargo.lock');
    const lock = await readFile(lockFile, 'utf8');
    expect(lock).toContain(`name = "${rootName}"`);
    const r = await cargo(dir(), ['build', '--locked', '--offline'], `lock-${rootName}`);
    expectClean(r);
    expect(r.all).toMatch(/Compiling leaf v0\.1\.3$/m);
    expect(r.all).not.toMatch(/leaf v0\.2/);
    expect(await readFile(lockFile, 'utf8')).toBe(lock);
    const update = await cargo(dir(), ['update', '--dry-run']);
    expect(update.all).toMatch(/Updating leaf v0\.1\.3 -> v0\.2\.0/);
  });

  it('a dependent resolves on its own: consensus at head takes leaf 0.1.3 through mid, 0.2.0 through primitives', async () => {
    const r = await cargo(head('blvm-consensus'), ['tree', '--offline', '--prefix', 'none', '--edges', 'normal']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['leaf v0.2.0', 'mid v0.3.1', 'leaf v0.1.3']));
  });
});

describe('before the rename', () => {
  it.each(RENAMED.map((f) => [f.formerNames[0]!, f.crateDirs.beforeRename!] as const))(
    '%s, cloned by its old name, builds and tests with its path dependencies',
    async (old, dir) => {
      const cwd = join(pre(old), dir);
      expectClean(await cargo(cwd, ['build', '--offline'], 'pre'));
      const t = await cargo(cwd, ['test', '--offline'], 'pre');
      expectClean(t);
      expect(t.all).toMatch(/test result: ok\. [1-9]\d* passed/);
    },
  );

  it('the binaries had the old names', () => {
    for (const bin of ['bllvm', 'bllvm-keygen', 'bllvm-commons']) {
      expect(existsSync(join(root, 'target', 'pre', 'debug', bin)), bin).toBe(true);
    }
  });
});

describe('the governance app across its move', () => {
  it('builds and tests from its subfolder right after the rename, and from the root at head', async () => {
    const repo = head('blvm-commons');
    const history = org.history['blvm-commons']!;
    await checkoutAt(repo, history.afterRename!);
    try {
      expect(existsSync(join(repo, 'Cargo.toml'))).toBe(false);
      const sub = join(repo, 'blvm-commons');
      expectClean(await cargo(sub, ['build', '--offline']));
      expectClean(await cargo(sub, ['test', '--offline']));
    } finally {
      await checkoutAt(repo, history.root!);
    }
    expectClean(await cargo(repo, ['test', '--offline']));
  });
});

describe('faults at head', () => {
  async function withFault(repo: string, fault: 'build' | 'test' | 'verify', check: () => Promise<void>) {
    await checkoutAt(head(repo), await setFault(org, repo, fault));
    try {
      await check();
    } finally {
      await checkoutAt(head(repo), await setFault(org, repo, null));
    }
  }

  it('a build fault in blvm-primitives fails it and everything above, down to the added repository', async () => {
    await withFault('blvm-primitives', 'build', async () => {
      const own = await cargo(head('blvm-primitives'), ['build', '--offline']);
      expect(own.exitCode).not.toBe(0);
      expect(own.all).toContain('injected build fault');
      for (const dependent of ['blvm-consensus', 'blvm-mempool']) {
        const r = await cargo(head(dependent), ['build', '--offline']);
        expect(r.exitCode, dependent).not.toBe(0);
        expect(r.all).toMatch(/could not compile `blvm-primitives`/);
      }
    });
    expectClean(await cargo(head('blvm-mempool'), ['build', '--offline']));
  });

  it('a test fault in commons (at the root) fails its tests but not its build', async () => {
    await withFault('blvm-commons', 'test', async () => {
      expectClean(await cargo(head('blvm-commons'), ['build', '--offline']));
      const t = await cargo(head('blvm-commons'), ['test', '--offline']);
      expect(t.exitCode).not.toBe(0);
      expect(t.all).toMatch(/fault::tests::sandbox_injected_test_fault \.\.\. FAILED/);
    });
  });

  it('a verify fault in blvm-consensus fails only the verify command', async () => {
    await withFault('blvm-consensus', 'verify', async () => {
      const v = await cargo(head('blvm-consensus'), SANDBOX_VERIFY_COMMAND.slice(1));
      expect(v.exitCode).not.toBe(0);
      expect(v.all).toMatch(/proof_subsidy_never_reaches_zero \.\.\. FAILED/);
      expectClean(await cargo(head('blvm-consensus'), ['test', '--offline']));
    });
  });
});
