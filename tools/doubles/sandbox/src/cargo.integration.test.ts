// The crates are real: cloned side by side from the sandbox org, they build and test with the real
// cargo, produce the real binaries, and each injected fault fails exactly its command. Their
// crates.io dependencies come from the local registry: one fetch per checkout, then offline.
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_BINARIES } from './components';
import {
  SANDBOX_COMPONENTS,
  SANDBOX_VERIFY_COMMAND,
  createSandboxOrg,
  setFault,
  type SandboxComponent,
  type SandboxOrg,
} from './index';
import { checkoutAt, cloneAll, sandboxCargoEnv, tempDir, withSandboxRegistry } from './testing';

let root: string;
let org: SandboxOrg;
let src: Record<SandboxComponent, string>;

/** Crates whose bllvm-node dependency is a registry range and needs the patch. */
const PATCHED = new Set<SandboxComponent>(['bllvm-sdk', 'governance-app']);

const registry = withSandboxRegistry();

beforeAll(async () => {
  root = await tempDir('cargo');
  // bllvm gets generated modules, so the size knob's code is compiled (warning-free) in a binary crate.
  org = await createSandboxOrg({ dir: join(root, 'org'), sizes: { bllvm: 2 } });
  src = await cloneAll(org, join(root, 'src'));
  // The one step that needs the registry, as a pipeline's download step; everything after is offline.
  for (const c of SANDBOX_COMPONENTS) {
    const r = await cargo(c, ['fetch']);
    expect(r.exitCode, r.all).toBe(0);
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Runs cargo in a checkout with its own target dir, shared by every test of that crate. */
function cargo(component: SandboxComponent, args: string[], opts: { patch?: boolean; target?: string } = {}) {
  const patch = opts.patch ?? PATCHED.has(component);
  const config = patch ? ['--config', `patch.crates-io.bllvm-node.path=${JSON.stringify(src['bllvm-node'])}`] : [];
  const [command, ...rest] = args;
  return execa('cargo', [command!, ...config, ...rest], {
    cwd: src[component],
    env: { ...sandboxCargoEnv(registry()), CARGO_TARGET_DIR: join(root, 'target', opts.target ?? component), CARGO_TERM_COLOR: 'never' },
    reject: false,
    all: true,
  });
}

const binary = (component: SandboxComponent, name: string) => join(root, 'target', component, 'release', name);

describe('healthy crates', () => {
  it.each(SANDBOX_COMPONENTS)('%s builds in release offline, warning-free, with its real binaries', async (c) => {
    const r = await cargo(c, ['build', '--release', '--offline']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).not.toMatch(/^warning/m);
    for (const bin of SANDBOX_BINARIES[c]) {
      expect(existsSync(binary(c, bin)), bin).toBe(true);
      const v = await execa(binary(c, bin), ['--version']);
      expect(v.stdout).toMatch(new RegExp(`^${bin} 0\\.1\\.0 \\(sandbox revision 0, /bllvm-node:0\\.1\\.0/\\)$`));
    }
  });

  it.each(SANDBOX_COMPONENTS)('%s passes cargo test offline', async (c) => {
    const r = await cargo(c, ['test', '--offline']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toMatch(/test result: ok\. [1-9]\d* passed/);
  });

  it('node and bllvm also pass with all features, and node builds without its default direct edge', async () => {
    for (const c of ['bllvm-node', 'bllvm'] as const) {
      const r = await cargo(c, ['test', '--offline', '--all-features']);
      expect(r.exitCode, r.all).toBe(0);
    }
    const r = await cargo('bllvm-node', ['check', '--offline', '--no-default-features']);
    expect(r.exitCode, r.all).toBe(0);
  });

  it('the binaries run the stack end to end', async () => {
    const node = await execa(binary('bllvm', 'bllvm'), ['--network', 'testnet', '--blocks', '4']);
    expect(node.stdout).toMatch(/network=testnet port=18333 height=4 tip=[0-9a-f]{16}/);
    expect((await execa(binary('bllvm', 'bllvm'), ['--self-check'])).stdout).toMatch(/^generated checksum [0-9a-f]{16}$/);
    const bad = await execa(binary('bllvm', 'bllvm'), ['--network', 'moon'], { reject: false });
    expect(bad.exitCode).toBe(2);

    const sdk = (bin: string, ...args: string[]) => execa(binary('bllvm-sdk', bin), args, { reject: false });
    const keys = (await sdk('bllvm-keygen', 'alice')).stdout;
    const [, secret, pub] = /secret (\w+)\npublic (\w+)/.exec(keys)!;
    const sig = (await sdk('bllvm-sign', secret!, 'release v0.1.0')).stdout;
    expect((await sdk('bllvm-verify', pub!, 'release v0.1.0', sig)).exitCode).toBe(0);
    expect((await sdk('bllvm-verify', pub!, 'release v0.1.1', sig)).exitCode).toBe(1);
    const file = binary('bllvm', 'bllvm');
    const binSig = (await sdk('bllvm-sign-binary', secret!, file)).stdout.split(' ')[0]!;
    expect((await sdk('bllvm-verify-binary', pub!, file, binSig)).exitCode).toBe(0);
    expect((await sdk('bllvm-aggregate-signatures', '1', 'release v0.1.0', `${pub}:${sig}`)).stdout).toContain('approved');
    expect((await sdk('bllvm-compose', '1', pub!)).stdout).toMatch(/^1-of-1 policy [0-9a-f]{16}$/);
    expect((await sdk('bllvm-keygen')).exitCode).toBe(2);

    const gov = (bin: string, ...args: string[]) => execa(binary('governance-app', bin), args);
    // The tag is painted by fancy's `color` feature, that is by its optional dependency tint.
    expect((await gov('governance-app')).stdout).toContain('demo release [red]v0.1.0[/red] approved by 2');
    expect((await gov('test-content-hash', file)).stdout).toBe((await gov('test-content-hash-standalone', file)).stdout);
  });

  it('the sdk does not build offline without the patch: its bllvm-node range really is a registry dependency', async () => {
    const r = await cargo('bllvm-sdk', ['build', '--offline'], { patch: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toMatch(/no matching package named `bllvm-node` found/);
  });

  it('the verify command runs the consensus proofs and passes', async () => {
    const [command, ...args] = SANDBOX_VERIFY_COMMAND;
    expect(command).toBe('cargo');
    const r = await cargo('bllvm-consensus', args);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toMatch(/test proofs::proof_subsidy_halves_each_era_and_never_increases \.\.\. ok/);
  });
});

describe('registry crates', () => {
  it('consensus builds the leaf its committed Cargo.lock pins (0.1.3), though 0.2.0 also meets its range', async () => {
    const lockFile = join(src['bllvm-consensus'], 'Cargo.lock');
    const lock = await readFile(lockFile, 'utf8');
    // A target dir of its own, so leaf is compiled here and the output names the version built.
    const r = await cargo('bllvm-consensus', ['build', '--locked', '--offline'], { target: 'lock' });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toMatch(/Compiling leaf v0\.1\.3$/m);
    expect(r.all).not.toMatch(/leaf v0\.2/);
    expect(await readFile(lockFile, 'utf8')).toBe(lock);
    // Resolving afresh would take 0.2.0: the lock is what holds leaf back.
    const update = await cargo('bllvm-consensus', ['update', '--dry-run']);
    expect(update.exitCode, update.all).toBe(0);
    expect(update.all).toMatch(/Updating leaf v0\.1\.3 -> v0\.2\.0/);
  });

  it("a dependent resolves on its own: protocol gets leaf 0.2.0 for consensus' range and 0.1.3 through mid", async () => {
    const r = await cargo('bllvm-protocol', ['tree', '--offline', '--prefix', 'none', '--edges', 'normal']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['leaf v0.2.0', 'mid v0.3.1', 'leaf v0.1.3']));
  });

  it('came from the local registry only: the one index cargo knows is on 127.0.0.1', async () => {
    expect(await readdir(join(registry().cargoHome, 'registry', 'index'))).toEqual([expect.stringMatching(/^127\.0\.0\.1-/)]);
    const downloads = registry()
      .registry.log()
      .filter((e) => e.operation === 'download' && e.status === 200)
      .map((e) => e.path);
    for (const crate of ['leaf/0.1.3', 'leaf/0.2.0', 'mid/0.3.1', 'fancy/1.0.0', 'tint/0.1.0']) {
      expect(downloads).toContain(`/api/v1/crates/${crate}/download`);
    }
  });
});

describe('faults', () => {
  /** Injects a fault, moves the checkout to it, runs check, then heals and moves back. */
  async function withFault(c: SandboxComponent, fault: 'build' | 'test' | 'verify', check: () => Promise<void>) {
    await checkoutAt(src[c], await setFault(org, c, fault));
    try {
      await check();
    } finally {
      await checkoutAt(src[c], await setFault(org, c, null));
    }
  }

  it('a build fault breaks the crate and its dependents; removing it restores both', async () => {
    await withFault('bllvm-protocol', 'build', async () => {
      const own = await cargo('bllvm-protocol', ['build', '--release', '--offline']);
      expect(own.exitCode).not.toBe(0);
      expect(own.all).toContain('injected build fault');
      const dependent = await cargo('bllvm-node', ['build', '--release', '--offline']);
      expect(dependent.exitCode).not.toBe(0);
      expect(dependent.all).toMatch(/could not compile `bllvm-protocol`/);
    });
    for (const c of ['bllvm-protocol', 'bllvm-node'] as const) {
      const r = await cargo(c, ['build', '--release', '--offline']);
      expect(r.exitCode, r.all).toBe(0);
    }
  });

  it('a test fault fails cargo test but not the build; removing it restores the tests', async () => {
    await withFault('bllvm-node', 'test', async () => {
      expect((await cargo('bllvm-node', ['build', '--release', '--offline'])).exitCode).toBe(0);
      const t = await cargo('bllvm-node', ['test', '--offline']);
      expect(t.exitCode).not.toBe(0);
      expect(t.all).toMatch(/fault::tests::sandbox_injected_test_fault \.\.\. FAILED/);
    });
    const t = await cargo('bllvm-node', ['test', '--offline']);
    expect(t.exitCode, t.all).toBe(0);
  });

  it('a test fault in consensus fails its tests but not its verify command', async () => {
    await withFault('bllvm-consensus', 'test', async () => {
      expect((await cargo('bllvm-consensus', ['test', '--offline', '--all-features'])).exitCode).not.toBe(0);
      const v = await cargo('bllvm-consensus', SANDBOX_VERIFY_COMMAND.slice(1));
      expect(v.exitCode, v.all).toBe(0);
    });
  });

  it('a verify fault fails only the verify command; removing it restores verify', async () => {
    await withFault('bllvm-consensus', 'verify', async () => {
      const v = await cargo('bllvm-consensus', SANDBOX_VERIFY_COMMAND.slice(1));
      expect(v.exitCode).not.toBe(0);
      expect(v.all).toMatch(/proof_subsidy_never_reaches_zero \.\.\. FAILED/);
      // Like Kani harnesses, the proofs stay out of ordinary (debug) test runs, even with all features.
      const t = await cargo('bllvm-consensus', ['test', '--offline', '--all-features']);
      expect(t.exitCode, t.all).toBe(0);
      expect((await cargo('bllvm-consensus', ['build', '--release', '--offline'])).exitCode).toBe(0);
    });
    const v = await cargo('bllvm-consensus', SANDBOX_VERIFY_COMMAND.slice(1));
    expect(v.exitCode, v.all).toBe(0);
  });
});
