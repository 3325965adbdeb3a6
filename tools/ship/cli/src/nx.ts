import { join } from 'node:path';
import { execa } from 'execa';

/**
 * Environment that keeps Nx local: no cloud, no daemon (CI and tests must not leave one running).
 * No plugin isolation: nx.json loads no third-party plugin, and each isolated worker costs ~0.5 s
 * of every Nx start-up.
 */
export function nxEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false', NX_ISOLATE_PLUGINS: 'false' };
}

/**
 * The target that bundles a tool's TypeScript (the CLI, the Nx plugin). Tasks that run an executor
 * depend on the plugin's bundle, so Nx plans it too; it is plumbing, not a step of the pipeline.
 */
export const TOOL_BUNDLE_TARGET = 'bundle';

/** `node <workspace>/node_modules/nx/dist/bin/nx.js`: what `npx nx` resolves, without npx's own start-up. */
export function nxCommand(workspaceRoot: string, args: string[]): [string, string[]] {
  return [process.execPath, [join(workspaceRoot, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), ...args]];
}

/** `nx show projects --affected`: Nx itself decides what is affected. */
export async function affectedProjects(workspaceRoot: string, base: string, head?: string): Promise<string[]> {
  const args = ['show', 'projects', '--affected', `--base=${base}`, '--json'];
  if (head) args.push(`--head=${head}`);
  const r = await execa(...nxCommand(workspaceRoot, args), { cwd: workspaceRoot, env: nxEnv(), reject: false });
  if (r.exitCode !== 0) throw new Error(`nx show projects --affected failed:\n${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout) as string[];
}

/**
 * Every Nx project of the workspace with its folder, as Nx itself reads them (project.json files,
 * inferred projects alike): `nx graph --file=stdout`, which writes no file.
 */
export async function workspaceProjects(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): Promise<{ name: string; root: string }[]> {
  const r = await execa(...nxCommand(workspaceRoot, ['graph', '--file=stdout']), { cwd: workspaceRoot, env: nxEnv(env), reject: false });
  if (r.exitCode !== 0) throw new Error(`nx graph failed:\n${(r.stderr || r.stdout).trim().split('\n').slice(-20).join('\n')}`);
  const json = r.stdout.slice(r.stdout.indexOf('{'));
  const nodes = (JSON.parse(json) as { graph: { nodes: Record<string, { name: string; data: { root: string } }> } }).graph.nodes;
  return Object.values(nodes).map((n) => ({ name: n.name, root: n.data.root }));
}
