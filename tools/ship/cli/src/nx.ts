import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { NX_LOCAL_ENV } from '@bllvm/contract';
import type { Input } from '@bllvm/manifest';

/** The caller's environment with Nx kept local (NX_LOCAL_ENV: no cloud, no daemon, plugins in-process). */
export function nxEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, ...NX_LOCAL_ENV };
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
 * inferred projects alike): `nx graph --file=<file>`, Nx's own JSON of the graph, read from the
 * file rather than picked out of what Nx prints.
 */
export async function workspaceProjects(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): Promise<{ name: string; root: string }[]> {
  return (await graphNodes(workspaceRoot, env)).map((n) => ({ name: n.name, root: n.data.root }));
}

/** Each project's folder and its targets' inputs as Nx resolved them (inferred targets included), from the same graph file. */
export async function projectInputs(
  workspaceRoot: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, { root: string; targets: Record<string, Input[] | undefined> }>> {
  return Object.fromEntries(
    (await graphNodes(workspaceRoot, env)).map((n) => [
      n.name,
      { root: n.data.root, targets: Object.fromEntries(Object.entries(n.data.targets ?? {}).map(([t, c]) => [t, c.inputs])) },
    ]),
  );
}

interface GraphNode {
  name: string;
  data: { root: string; targets?: Record<string, { inputs?: Input[] }> };
}

async function graphNodes(workspaceRoot: string, env: NodeJS.ProcessEnv): Promise<GraphNode[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bllvm-graph-'));
  try {
    const file = join(dir, 'graph.json');
    const r = await execa(...nxCommand(workspaceRoot, ['graph', `--file=${file}`]), { cwd: workspaceRoot, env: nxEnv(env), reject: false });
    if (r.exitCode !== 0) throw new Error(`nx graph failed:\n${(r.stderr || r.stdout).trim().split('\n').slice(-20).join('\n')}`);
    return Object.values((JSON.parse(await readFile(file, 'utf8')) as { graph: { nodes: Record<string, GraphNode> } }).graph.nodes);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
