/** Helpers shared by the sandbox's own tests (not part of the public API). */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
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
