import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pinPath, readComponentGraph, readPin, writePin } from '@bllvm/manifest';
import { type GeneratedOrg, SANDBOX_OWNER, createGeneratedOrg, generatedVersionsToml } from '@bllvm/sandbox';
import { type WorkspaceCopy, copyWorkspace } from './workspace-copy';

export interface GeneratedWorkspace {
  org: GeneratedOrg;
  ws: WorkspaceCopy;
  /** Environment that points the orchestrator at the sandbox: git base URL, offline cargo, work dir. */
  env: NodeJS.ProcessEnv;
  /** How long each step of making it took, in ms (the bench reports them). */
  timings: { orgMs: number; importMs: number; syncMs: number };
  /** Move a component's pin in the workspace copy (no commit). */
  pin(component: string, commit: string): Promise<void>;
  remove(): Promise<void>;
}

/**
 * A copy of this workspace whose stack is a generated org of `components` crates, adopted the way
 * createSandboxWorkspace adopts a profile: the committed components out, `bllvm-release import` of
 * every repository, a versions.toml naming the generated DAG, `nx sync` deriving the graph from
 * the manifests. Committed and tagged `last-release`.
 */
export async function createGeneratedWorkspace(opts: { components: number; seed?: number }): Promise<GeneratedWorkspace> {
  const ws = await copyWorkspace(`bllvm-generated-${opts.components}-`);
  try {
    const t0 = performance.now();
    const org = await createGeneratedOrg({ dir: join(ws.dir, '..', 'org'), components: opts.components, seed: opts.seed });
    const t1 = performance.now();
    const env: NodeJS.ProcessEnv = { BLLVM_GIT_BASE_URL: org.gitBaseUrl, BLLVM_WORK_DIR: join(ws.dir, '.bllvm'), CARGO_NET_OFFLINE: 'true' };
    Object.assign(ws.env, env);
    const committed = await readComponentGraph(ws.dir);
    for (const id of committed.components) await rm(join(ws.dir, committed.roots[id]!), { recursive: true, force: true });
    const setFile = join(ws.dir, 'apps', 'release-set', 'project.json');
    const set = JSON.parse(await readFile(setFile, 'utf8')) as { implicitDependencies?: string[] };
    await writeFile(setFile, `${JSON.stringify({ ...set, implicitDependencies: [] }, null, 2)}\n`);
    await writeFile(join(ws.dir, 'versions.toml'), generatedVersionsToml(org.stack));
    const imported = await ws.cli('import', ...org.repositories.map((r) => `${SANDBOX_OWNER}/${r}`), '--no-sync');
    if (imported.exitCode !== 0) throw new Error(`import of the generated stack failed:\n${imported.stderr}\n${imported.stdout}`);
    const t2 = performance.now();
    const synced = await ws.nx('sync');
    if (synced.exitCode !== 0) throw new Error(`nx sync of the generated stack failed:\n${synced.stderr}\n${synced.stdout}`);
    const t3 = performance.now();
    await ws.git('add', '-A');
    await ws.git('commit', '-qm', `adopt a generated stack of ${opts.components} components`);
    await ws.git('tag', 'last-release');
    const graph = await readComponentGraph(ws.dir);
    const pin = async (component: string, commit: string) => {
      const file = pinPath(ws.dir, graph.roots[component]!);
      await writePin(file, { ...(await readPin(file)), commit });
    };
    return { org, ws, env, timings: { orgMs: t1 - t0, importMs: t2 - t1, syncMs: t3 - t2 }, pin, remove: () => ws.remove() };
  } catch (e) {
    await ws.remove();
    throw e;
  }
}
