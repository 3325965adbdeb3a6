/**
 * Helpers for tests that use the sandbox (`@bllvm/sandbox/testing`; not part of the public API):
 * temporary folders, clones, and the local cargo registry the crates' crates.io dependencies
 * resolve from.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCargoRegistry, type CargoRegistry } from '@bllvm/cargo-registry';
import { execa } from 'execa';
import { afterAll, beforeAll } from 'vitest';
import { SANDBOX_COMPONENTS, SANDBOX_OWNER, type SandboxComponent, type SandboxOrg } from './index';

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `bllvm-sandbox-${prefix}-`));
}

export async function gitOut(cwd: string, args: string[]): Promise<string> {
  return (await execa('git', args, { cwd })).stdout.trim();
}

/** Clones every repository side by side under dir, at the heads of main, as a pipeline would. */
export async function cloneAll(org: SandboxOrg, dir: string): Promise<Record<SandboxComponent, string>> {
  const paths = {} as Record<SandboxComponent, string>;
  for (const c of SANDBOX_COMPONENTS) {
    paths[c] = join(dir, c);
    await execa('git', ['clone', '--quiet', `${org.gitBaseUrl}${SANDBOX_OWNER}/${c}.git`, paths[c]]);
  }
  return paths;
}

/** Moves a checkout to a commit of its origin. */
export async function checkoutAt(checkout: string, sha: string): Promise<void> {
  await execa('git', ['fetch', '--quiet', 'origin'], { cwd: checkout });
  await execa('git', ['checkout', '--quiet', '--detach', sha], { cwd: checkout });
}

export interface SandboxRegistry {
  /** The seeded registry (leaf, mid, fancy, tint) on 127.0.0.1. */
  registry: CargoRegistry;
  /** A CARGO_HOME of its own whose config.toml makes the registry replace crates.io. */
  cargoHome: string;
  /** Stops the registry and removes the CARGO_HOME. */
  stop(): Promise<void>;
}

/**
 * Starts the registry the sandbox crates need and a CARGO_HOME pointing cargo at it, so their
 * crates.io dependencies resolve there and nothing reaches the real crates.io.
 */
export async function startSandboxRegistry(): Promise<SandboxRegistry> {
  const registry = await startCargoRegistry({ seed: true });
  const cargoHome = await tempDir('cargo-home');
  await writeFile(join(cargoHome, 'config.toml'), registry.cargoConfig());
  return {
    registry,
    cargoHome,
    stop: async () => {
      await registry.stop();
      await rm(cargoHome, { recursive: true, force: true });
    },
  };
}

/** One registry for a test file: started before its tests, stopped after them. Returns a getter. */
export function withSandboxRegistry(): () => SandboxRegistry {
  let started: SandboxRegistry | undefined;
  beforeAll(async () => {
    started = await startSandboxRegistry();
  });
  afterAll(async () => {
    await started?.stop();
  });
  return () => {
    if (!started) throw new Error('withSandboxRegistry: the registry starts in beforeAll; use it inside a hook or test');
    return started;
  };
}

/**
 * Environment for cargo on sandbox crates: the registry's CARGO_HOME, and CARGO_NET_OFFLINE
 * removed (not inherited), so a first resolve can reach the registry. Later commands may pass
 * --offline and use what the first one downloaded.
 */
export function sandboxCargoEnv(reg: Pick<SandboxRegistry, 'cargoHome'>): Record<string, string | undefined> {
  return { CARGO_HOME: reg.cargoHome, CARGO_NET_OFFLINE: undefined };
}
