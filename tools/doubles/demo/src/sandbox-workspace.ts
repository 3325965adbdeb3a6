import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CargoRegistry, startCargoRegistry } from '@bllvm/cargo-registry';
import { pinPath, readComponentGraph, readPin, writePin } from '@bllvm/manifest';
import { type RealRepository, type SandboxComponent, type SandboxOrg, createSandboxOrg } from '@bllvm/sandbox';
import { type Profile, type StackProfile, readProfile } from './profile';
import { type WorkspaceCopy, copyWorkspace } from './workspace-copy';

export interface SandboxWorkspace<R extends string = SandboxComponent> {
  org: SandboxOrg<R>;
  ws: WorkspaceCopy;
  profile: Profile;
  /** The local cargo registry (seeded) the sandbox crates' registry dependencies come from, as crates.io's would. */
  registry: CargoRegistry;
  /** Environment that points the orchestrator at the sandbox: git base URL, cargo registry, work dir. */
  env: NodeJS.ProcessEnv;
  /** Move a component's pin in the workspace copy (no commit). */
  pin(component: string, commit: string): Promise<void>;
  remove(): Promise<void>;
}

export interface SandboxWorkspaceOptions {
  /** Which sandbox stack (default seed). */
  profile?: StackProfile;
  size?: number;
  sizes?: Record<string, number>;
  /** Tag the pinned commit `last-release` (default true). */
  tag?: boolean;
}

/**
 * A copy of this workspace whose stack is a fresh sandbox org, adopted the way a maintainer adopts
 * a real org: the committed components are removed, `bllvm-release import` pins every repository of
 * the profile at its head and derives the graph from the manifests (`nx sync`), then the profile's
 * project configuration (kinds, features, proofs, the image) is added. Committed and tagged
 * `last-release`, so every pipeline step runs against real git repos and real crates, their
 * registry dependencies from a local cargo registry on 127.0.0.1 (stopped by remove()).
 */
export function createSandboxWorkspace(opts?: SandboxWorkspaceOptions & { profile?: 'seed' }): Promise<SandboxWorkspace>;
export function createSandboxWorkspace(opts: SandboxWorkspaceOptions & { profile: 'real' }): Promise<SandboxWorkspace<RealRepository>>;
export function createSandboxWorkspace(opts: SandboxWorkspaceOptions): Promise<SandboxWorkspace<string>>;
export async function createSandboxWorkspace(opts: SandboxWorkspaceOptions = {}): Promise<SandboxWorkspace<string>> {
  const profile = await readProfile(opts.profile ?? 'seed');
  const ws = await copyWorkspace(`bllvm-${profile.name}-`);
  const registry = await startCargoRegistry({ seed: true });
  try {
    return await adopt(ws, registry, profile, opts);
  } catch (e) {
    await registry.stop();
    await ws.remove();
    throw e;
  }
}

async function adopt(ws: WorkspaceCopy, registry: CargoRegistry, profile: Profile, opts: SandboxWorkspaceOptions): Promise<SandboxWorkspace<string>> {
  const orgDir = join(ws.dir, '..', 'org');
  await mkdir(orgDir, { recursive: true });
  const org: SandboxOrg<string> =
    profile.name === 'real' ? await createSandboxOrg({ dir: orgDir, profile: 'real' }) : await createSandboxOrg({ dir: orgDir, size: opts.size, sizes: opts.sizes as never });
  const env: NodeJS.ProcessEnv = {
    BLLVM_GIT_BASE_URL: org.gitBaseUrl,
    BLLVM_WORK_DIR: join(ws.dir, '.bllvm'),
    BLLVM_CARGO_REGISTRY: registry.indexUrl,
    // What the publish step uploads the release's crates with; the registry was started without a token, so it takes any.
    BLLVM_CARGO_REGISTRY_TOKEN: `local-crates-${Math.random().toString(36).slice(2)}`,
    CARGO_NET_OFFLINE: 'true',
  };
  Object.assign(ws.env, env);
  await replaceStack(ws, profile);
  const graph = await readComponentGraph(ws.dir);
  const pin = async (component: string, commit: string) => {
    const file = pinPath(ws.dir, graph.roots[component]!);
    await writePin(file, { ...(await readPin(file)), commit });
  };
  await ws.git('add', '-A');
  await ws.git('commit', '-qm', `adopt the ${profile.name} sandbox org`);
  if (opts.tag !== false) await ws.git('tag', 'last-release');
  const remove = async () => {
    await registry.stop();
    await ws.remove();
  };
  return { org, ws, profile, registry, env, pin, remove };
}

/** The committed components out, the profile's in: import, then the configuration import cannot know. */
async function replaceStack(ws: WorkspaceCopy, profile: Profile): Promise<void> {
  const committed = await readComponentGraph(ws.dir);
  for (const id of committed.components) await rm(join(ws.dir, committed.roots[id]!), { recursive: true, force: true });
  const setFile = join(ws.dir, 'apps', 'release-set', 'project.json');
  const set = JSON.parse(await readFile(setFile, 'utf8')) as { implicitDependencies?: string[] };
  await writeFile(setFile, `${JSON.stringify({ ...set, implicitDependencies: [] }, null, 2)}\n`);
  await copyFile(profile.versionsFile, join(ws.dir, 'versions.toml'));
  const imported = await ws.cli('import', ...profile.components.map((c) => `${c.repository}=${c.id}`), '--no-sync');
  if (imported.exitCode !== 0) throw new Error(`import of the ${profile.name} sandbox failed:\n${imported.stderr}\n${imported.stdout}`);
  for (const c of profile.components) {
    const file = join(ws.dir, 'apps', c.id, 'project.json');
    const project = JSON.parse(await readFile(file, 'utf8')) as { tags: string[]; projectType: string };
    const tags = ['component', ...c.tags];
    const projectType = tags.includes('kind:binary') ? 'application' : 'library';
    await writeFile(file, `${JSON.stringify({ ...project, projectType, tags, targets: c.targets }, null, 2)}\n`);
    for (const f of c.files ?? []) await copyFile(join(profile.dir, c.id, f), join(ws.dir, 'apps', c.id, f));
  }
  const synced = await ws.nx('sync');
  if (synced.exitCode !== 0) throw new Error(`nx sync of the ${profile.name} sandbox failed:\n${synced.stderr}\n${synced.stdout}`);
}
