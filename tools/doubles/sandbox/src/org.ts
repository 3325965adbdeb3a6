/**
 * The sandbox org: bare repositories under <root>/BTCDecoded/, reachable as
 * file://<root>/BTCDecoded/<name>.git, standing in for github.com/BTCDecoded. A profile decides
 * which repositories exist: 'seed' (the six of November 2025) or 'real' (the ten after the rename,
 * see real-org.ts). Everything here is keyed by repository name; in the seed profile that is the
 * component name.
 */
import { join, resolve } from 'node:path';
import { SANDBOX_COMPONENTS, SANDBOX_OWNER, type SandboxComponent, type SandboxFault } from './components';
import { FAULT_FILE, REVISION_FILE, crateFiles, faultSource, parseRevision, revisionSource } from './crates';
import { assertBranchName, branchHead, branchLog, commitToBare, initBare, isBareRepo, type WorkTree } from './git';
import { type RealSandboxOrg, type RepositoryHistory, type SandboxOrg, assertEmptyOwner, checkRepository, orgAt } from './org-shape';
import { createRealOrg, openRealOrg } from './real-org';

export { type RealSandboxOrg, type RepositoryHistory, type SandboxOrg, assertEmptyOwner, checkRepository, orgAt } from './org-shape';

export interface CreateOptions {
  dir: string;
  profile?: 'seed';
  /** Generated modules per crate (the size knob); default 0 = tiny. */
  size?: number;
  /** Per-component overrides of size, so the critical path can differ from the serial sum. */
  sizes?: Partial<Record<SandboxComponent, number>>;
}

export interface RealCreateOptions {
  dir: string;
  profile: 'real';
}

export interface CommitOptions {
  message?: string;
  /** Files to write (relative path -> content); without them (and without `remove`) the commit bumps src/revision.rs. */
  files?: Record<string, string>;
  /** Of `files`, those committed executable (mode 100755), as a script or a hook must be to run. */
  executable?: string[];
  /** Files to delete in the same commit (each must exist). */
  remove?: string[];
  /** Branch to commit to (default main); a missing branch starts from main. */
  branch?: string;
}

function checkSize(what: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 10_000) {
    throw new Error(`${what} must be an integer from 0 to 10000, got ${String(n)}`);
  }
  return n;
}

async function createSeedOrg(opts: CreateOptions): Promise<SandboxOrg> {
  const size = checkSize('size', opts.size ?? 0);
  for (const [component, n] of Object.entries(opts.sizes ?? {})) {
    if (!(SANDBOX_COMPONENTS as readonly string[]).includes(component)) {
      throw new Error(`unknown component ${JSON.stringify(component)}; expected one of ${SANDBOX_COMPONENTS.join(', ')}`);
    }
    checkSize(`sizes[${component}]`, n);
  }
  const root = resolve(opts.dir);
  await assertEmptyOwner(root);
  const org = orgAt('seed', root, [...SANDBOX_COMPONENTS]);
  await Promise.all(
    SANDBOX_COMPONENTS.map(async (component) => {
      const bare = org.repoPath(component);
      await initBare(bare);
      const files = crateFiles(component, { size: opts.sizes?.[component] ?? size });
      org.heads[component] = await commitToBare(bare, 'main', async (tree) => {
        await tree.write(files);
        return `Initial ${component} crate (bllvm sandbox)`;
      });
      org.history[component] = { initial: org.heads[component] };
    }),
  );
  return org;
}

/** Creates the org of a profile ('seed' by default) under <dir>/BTCDecoded/. */
export function createSandboxOrg(opts: CreateOptions): Promise<SandboxOrg>;
export function createSandboxOrg(opts: RealCreateOptions): Promise<RealSandboxOrg>;
export async function createSandboxOrg(opts: CreateOptions | RealCreateOptions): Promise<SandboxOrg<string>> {
  const profile: unknown = opts.profile ?? 'seed';
  if (profile === 'seed') return createSeedOrg(opts as CreateOptions);
  if (profile === 'real') {
    if ('size' in opts || 'sizes' in opts) throw new Error("the size knob applies only to the 'seed' profile");
    return createRealOrg(resolve(opts.dir));
  }
  throw new Error(`unknown sandbox profile ${JSON.stringify(profile)}; expected seed or real`);
}

/**
 * Re-opens an org; the profile is read from which repositories exist (blvm-consensus.git means
 * 'real'). Heads are the current heads; history marks are found again by their commit subjects.
 */
export async function openSandboxOrg(dir: string): Promise<SandboxOrg<string>> {
  const root = resolve(dir);
  if (await isBareRepo(join(root, SANDBOX_OWNER, 'blvm-consensus.git'))) {
    return openRealOrg(root);
  }
  const org = orgAt<string>('seed', root, [...SANDBOX_COMPONENTS]);
  const missing: string[] = [];
  for (const component of SANDBOX_COMPONENTS) {
    if (!(await isBareRepo(org.repoPath(component)))) missing.push(component);
  }
  if (missing.length > 0) {
    throw new Error(`${root} is not a sandbox org: no bare repository for ${missing.join(', ')} under ${join(root, SANDBOX_OWNER)}`);
  }
  for (const c of SANDBOX_COMPONENTS) {
    org.heads[c] = await branchHead(org.repoPath(c), 'main');
    org.history[c] = { initial: (await branchLog(org.repoPath(c), 'main'))[0]!.sha };
  }
  return org;
}

/**
 * Where the crate is in this tree: the root, or (commons before it moved) the folder holding
 * src/revision.rs. Every sandbox crate has that file, so it marks the crate folder.
 */
async function crateDirIn(tree: WorkTree, candidates: readonly string[]): Promise<string> {
  for (const dir of ['.', ...candidates]) {
    if ((await tree.read(dir === '.' ? REVISION_FILE : `${dir}/${REVISION_FILE}`)) !== undefined) return dir;
  }
  throw new Error(`no crate (${REVISION_FILE}) in this repository`);
}

const SUBFOLDERS = ['blvm-commons', 'bllvm-commons'];
const inDir = (dir: string, path: string) => (dir === '.' ? path : `${dir}/${path}`);

export async function addCommit<R extends string>(org: SandboxOrg<R>, repository: R, opts: CommitOptions = {}): Promise<string> {
  checkRepository(org, repository);
  const branch = opts.branch ?? 'main';
  await assertBranchName(branch);
  if (opts.message !== undefined && opts.message.trim() === '') throw new Error('commit message must not be empty');
  const files = opts.files && Object.keys(opts.files).length > 0 ? opts.files : undefined;
  const remove = opts.remove?.length ? opts.remove : undefined;
  const unknown = (opts.executable ?? []).filter((f) => !files || !(f in files));
  if (unknown.length) throw new Error(`executable names files the commit does not write: ${unknown.join(', ')}`);
  return commitToBare(org.repoPath(repository), branch, async (tree) => {
    if (files || remove) {
      if (remove) await tree.remove(remove);
      if (files) await tree.write(files, { executable: opts.executable });
      return opts.message ?? `Update ${[...Object.keys(files ?? {}), ...(remove ?? [])].join(', ')}`;
    }
    // The default change: a real code edit that affects nothing but the reported revision.
    const file = inDir(await crateDirIn(tree, SUBFOLDERS), REVISION_FILE);
    const next = (parseRevision((await tree.read(file)) ?? '') ?? 0) + 1;
    await tree.write({ [file]: revisionSource(next) });
    return opts.message ?? `Bump sandbox revision to ${next}`;
  });
}

export async function setFault<R extends string>(
  org: SandboxOrg<R>,
  repository: R,
  fault: SandboxFault | null,
): Promise<string> {
  checkRepository(org, repository);
  if (fault !== null && fault !== 'build' && fault !== 'test' && fault !== 'verify') {
    throw new Error(`unknown fault ${JSON.stringify(fault)}; expected build, test, verify or null`);
  }
  // Validates the combination (verify needs consensus) before anything is cloned.
  const source = faultSource(repository, fault);
  const message = fault ? `Inject ${fault} fault (bllvm sandbox)` : 'Remove injected fault (bllvm sandbox)';
  return commitToBare(org.repoPath(repository), 'main', async (tree) => {
    await tree.write({ [inDir(await crateDirIn(tree, SUBFOLDERS), FAULT_FILE)]: source });
    return message;
  });
}

export async function headOf<R extends string>(org: SandboxOrg<R>, repository: R, branch = 'main'): Promise<string> {
  checkRepository(org, repository);
  return branchHead(org.repoPath(repository), branch);
}
