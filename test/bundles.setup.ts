import { resolve } from 'node:path';
import { execa } from 'execa';
import { NX_LOCAL_ENV } from '@bllvm/contract';

const WORKSPACE_ROOT = resolve(import.meta.dirname, '..');

/**
 * Vitest global set-up: build the tool bundles (the CLI, the Nx plugin's executors) once before
 * any test, through Nx, so every test runs the current sources. Cached by Nx: when nothing changed
 * this is one Nx start-up. Workspace copies made by the tests have no dist/; there Nx builds the
 * plugin before the first executor runs (dependsOn) and the CLI's bin before its first call.
 */
export default async function setup(): Promise<void> {
  const r = await execa(process.execPath, [resolve(WORKSPACE_ROOT, 'node_modules/nx/dist/bin/nx.js'), 'run-many', '-t', 'bundle', '--outputStyle=static'], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, ...NX_LOCAL_ENV },
    reject: false,
    all: true,
  });
  if (r.exitCode !== 0) throw new Error(`the tool bundles do not build (nx run-many -t bundle):\n${String(r.all).trim()}`);
}
