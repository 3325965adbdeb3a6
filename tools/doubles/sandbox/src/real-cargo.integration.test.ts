// The 'real' profile's crates are real: cloned side by side into folders named after their
// repositories they build and test with the real cargo, offline, as the manifests are — the
// crates.io ranges resolve through each manifest's own [patch.crates-io], with an empty
// CARGO_HOME (no registry index at all) and no --config. Before the rename the six are cloned by
// their old names and build with their path dependencies; commons builds from its subfolder and
// from the root; a fault at head fails its crate and its dependents.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
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
import { checkoutAt, tempDir } from './testing';

let root: string;
let org: SandboxOrg<string>;
const FACTS = profileFacts('real');
const HEADS = [...REAL_REPOSITORY_NAMES, 'blvm-mempool'];
const RENAMED = FACTS.filter((f) => f.formerNames.length > 0);

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
  await mkdir(join(root, 'cargo-home'));
  for (const r of HEADS) await clone(r, head(r));
  for (const f of FACTS) {
    const old = f.formerNames[0];
    const mark = old ? org.history[f.repository]!.beforeRename! : org.history[f.repository]!.initial!;
    await clone(old ?? f.repository, pre(old ?? f.repository), mark);
  }
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/**
 * cargo as a pipeline would run it: offline, no --config, an empty CARGO_HOME (so there is no
 * registry index to fall back on), one target dir per side of the rename shared by every crate.
 */
function cargo(cwd: string, args: string[], target: 'head' | 'pre' = 'head') {
  return execa('cargo', args, {
    cwd,
    env: {
      CARGO_HOME: join(root, 'cargo-home'),
      CARGO_TARGET_DIR: join(root, 'target', target),
      CARGO_NET_OFFLINE: 'true',
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

  it('needed no registry index: CARGO_HOME holds none', () => {
    expect(existsSync(join(root, 'cargo-home', 'registry', 'index'))).toBe(false);
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
