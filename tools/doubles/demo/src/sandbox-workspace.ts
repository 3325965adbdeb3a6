import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pinPath, readComponentGraph, readPin, writePin } from '@bllvm/manifest';
import { type SandboxOrg, createSandboxOrg } from '@bllvm/sandbox';
import { type WorkspaceCopy, copyWorkspace } from './workspace-copy';

export interface SandboxWorkspace {
  org: SandboxOrg;
  ws: WorkspaceCopy;
  /** Environment that points the orchestrator at the sandbox: git base URL, offline cargo, work dir. */
  env: NodeJS.ProcessEnv;
  /** Move a component's pin in the workspace copy (no commit). */
  pin(component: string, commit: string): Promise<void>;
  remove(): Promise<void>;
}

/**
 * A copy of this workspace whose pins point at a fresh sandbox org, committed and tagged
 * `last-release`, so every pipeline step runs against real git repos and real crates offline.
 */
export async function createSandboxWorkspace(opts: { size?: number; sizes?: Record<string, number>; tag?: boolean } = {}): Promise<SandboxWorkspace> {
  const ws = await copyWorkspace('bllvm-sandbox-');
  const orgDir = join(ws.dir, '..', 'org');
  await mkdir(orgDir, { recursive: true });
  const org = await createSandboxOrg({ dir: orgDir, size: opts.size, sizes: opts.sizes as never });
  const graph = await readComponentGraph(ws.dir);
  const pin = async (component: string, commit: string) => {
    const file = pinPath(ws.dir, graph.roots[component]!);
    await writePin(file, { ...(await readPin(file)), commit });
  };
  for (const c of graph.components) await pin(c, org.heads[c as keyof typeof org.heads]);
  await ws.git('commit', '-qam', 'pin the sandbox org');
  if (opts.tag !== false) await ws.git('tag', 'last-release');
  const env: NodeJS.ProcessEnv = {
    BLLVM_GIT_BASE_URL: org.gitBaseUrl,
    BLLVM_WORK_DIR: join(ws.dir, '.bllvm'),
    CARGO_NET_OFFLINE: 'true',
  };
  Object.assign(ws.env, env);
  return { org, ws, env, pin, remove: () => ws.remove() };
}
