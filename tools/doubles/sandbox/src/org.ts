/**
 * The sandbox org: six bare repositories under <root>/BTCDecoded/, reachable as
 * file://<root>/BTCDecoded/<name>.git, standing in for github.com/BTCDecoded.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SANDBOX_COMPONENTS, SANDBOX_OWNER, isSandboxComponent, type SandboxComponent, type SandboxFault } from './components';
import { FAULT_FILE, REVISION_FILE, crateFiles, faultSource, parseRevision, revisionSource } from './crates';
import { assertBranchName, branchHead, commitToBare, initBare, isBareRepo } from './git';

export interface SandboxOrg {
  /** Absolute folder holding <root>/BTCDecoded/<name>.git. */
  root: string;
  /** 'file://<root>/' (trailing slash); a repository's URL is gitBaseUrl + 'BTCDecoded/<name>.git'. */
  gitBaseUrl: string;
  /** The bare repository of a component. */
  repoPath(component: SandboxComponent): string;
  /** Head of main when the org was created (or opened). */
  heads: Record<SandboxComponent, string>;
}

export interface CreateOptions {
  dir: string;
  /** Generated modules per crate (the size knob); default 0 = tiny. */
  size?: number;
  /** Per-component overrides of size, so the critical path can differ from the serial sum. */
  sizes?: Partial<Record<SandboxComponent, number>>;
}

export interface CommitOptions {
  message?: string;
  /** Files to write (relative path -> content); without them the commit bumps src/revision.rs. */
  files?: Record<string, string>;
  /** Branch to commit to (default main); a missing branch starts from main. */
  branch?: string;
}

function orgAt(root: string, heads: Record<SandboxComponent, string>): SandboxOrg {
  return {
    root,
    gitBaseUrl: `file://${root}/`,
    repoPath: (component) => join(root, SANDBOX_OWNER, `${component}.git`),
    heads,
  };
}

function checkSize(what: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 10_000) {
    throw new Error(`${what} must be an integer from 0 to 10000, got ${String(n)}`);
  }
  return n;
}

function checkComponent(component: string): asserts component is SandboxComponent {
  if (!isSandboxComponent(component)) {
    throw new Error(`unknown component ${JSON.stringify(component)}; expected one of ${SANDBOX_COMPONENTS.join(', ')}`);
  }
}

async function isNonEmptyDir(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length > 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

async function currentHeads(org: Pick<SandboxOrg, 'repoPath'>): Promise<Record<SandboxComponent, string>> {
  const entries = await Promise.all(
    SANDBOX_COMPONENTS.map(async (c) => [c, await branchHead(org.repoPath(c), 'main')] as const),
  );
  return Object.fromEntries(entries) as Record<SandboxComponent, string>;
}

export async function createSandboxOrg(opts: CreateOptions): Promise<SandboxOrg> {
  const size = checkSize('size', opts.size ?? 0);
  for (const [component, n] of Object.entries(opts.sizes ?? {})) {
    checkComponent(component);
    checkSize(`sizes[${component}]`, n);
  }
  const root = resolve(opts.dir);
  if (await isNonEmptyDir(join(root, SANDBOX_OWNER))) {
    throw new Error(`${join(root, SANDBOX_OWNER)} already exists and is not empty; open it with openSandboxOrg`);
  }
  const org = orgAt(root, {} as Record<SandboxComponent, string>);
  await Promise.all(
    SANDBOX_COMPONENTS.map(async (component) => {
      const bare = org.repoPath(component);
      await initBare(bare);
      const files = crateFiles(component, { size: opts.sizes?.[component] ?? size });
      org.heads[component] = await commitToBare(bare, 'main', async (tree) => {
        await tree.write(files);
        return `Initial ${component} crate (bllvm sandbox)`;
      });
    }),
  );
  return org;
}

export async function openSandboxOrg(dir: string): Promise<SandboxOrg> {
  const root = resolve(dir);
  const org = orgAt(root, {} as Record<SandboxComponent, string>);
  const missing: string[] = [];
  for (const component of SANDBOX_COMPONENTS) {
    if (!(await isBareRepo(org.repoPath(component)))) missing.push(component);
  }
  if (missing.length > 0) {
    throw new Error(`${root} is not a sandbox org: no bare repository for ${missing.join(', ')} under ${join(root, SANDBOX_OWNER)}`);
  }
  org.heads = await currentHeads(org);
  return org;
}

export async function addCommit(org: SandboxOrg, component: SandboxComponent, opts: CommitOptions = {}): Promise<string> {
  checkComponent(component);
  const branch = opts.branch ?? 'main';
  await assertBranchName(branch);
  if (opts.message !== undefined && opts.message.trim() === '') throw new Error('commit message must not be empty');
  const files = opts.files && Object.keys(opts.files).length > 0 ? opts.files : undefined;
  return commitToBare(org.repoPath(component), branch, async (tree) => {
    if (files) {
      await tree.write(files);
      return opts.message ?? `Update ${Object.keys(files).join(', ')}`;
    }
    // The default change: a real code edit that affects nothing but the reported revision.
    const next = (parseRevision((await tree.read(REVISION_FILE)) ?? '') ?? 0) + 1;
    await tree.write({ [REVISION_FILE]: revisionSource(next) });
    return opts.message ?? `Bump sandbox revision to ${next}`;
  });
}

export async function setFault(
  org: SandboxOrg,
  component: SandboxComponent,
  fault: SandboxFault | null,
): Promise<string> {
  checkComponent(component);
  if (fault !== null && fault !== 'build' && fault !== 'test' && fault !== 'verify') {
    throw new Error(`unknown fault ${JSON.stringify(fault)}; expected build, test, verify or null`);
  }
  // Validates the combination (verify needs consensus) before anything is cloned.
  const source = faultSource(component, fault);
  const message = fault ? `Inject ${fault} fault (bllvm sandbox)` : 'Remove injected fault (bllvm sandbox)';
  return commitToBare(org.repoPath(component), 'main', async (tree) => {
    await tree.write({ [FAULT_FILE]: source });
    return message;
  });
}

export async function headOf(org: SandboxOrg, component: SandboxComponent, branch = 'main'): Promise<string> {
  checkComponent(component);
  return branchHead(org.repoPath(component), branch);
}
