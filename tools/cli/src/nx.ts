import { execa } from 'execa';

/** Environment that keeps Nx local: no cloud, no daemon (CI and tests must not leave one running). */
export function nxEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false', NX_SKIP_NX_CACHE: env.NX_SKIP_NX_CACHE };
}

/** `nx show projects --affected`: Nx itself decides what is affected. */
export async function affectedProjects(workspaceRoot: string, base: string, head?: string): Promise<string[]> {
  const args = ['nx', 'show', 'projects', '--affected', `--base=${base}`, '--json'];
  if (head) args.push(`--head=${head}`);
  const r = await execa('npx', args, { cwd: workspaceRoot, env: nxEnv(), reject: false });
  if (r.exitCode !== 0) throw new Error(`nx show projects --affected failed:\n${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout) as string[];
}
