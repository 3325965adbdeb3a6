/**
 * What every sandbox org is, whatever its profile: the shape, where its repositories live, and
 * the checks shared by the profiles' constructors (org.ts for the seed's six, real-org.ts for the
 * ten after the rename, generated.ts for the bench's generated stacks).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SANDBOX_OWNER, type SandboxComponent } from './components';
import type { SandboxProfileName } from './facts';
import type { RealMark, RealRepository } from './real-profile';

/** Named commits on main of one repository: `{ initial }` in the seed profile (README "History marks"). */
export type RepositoryHistory = Partial<Record<RealMark, string>>;

export interface SandboxOrg<R extends string = SandboxComponent> {
  /** 'generated': N generated crates (generated-stack.ts), made for the bench by createGeneratedOrg. */
  profile: SandboxProfileName | 'generated';
  /** Absolute folder holding <root>/BTCDecoded/<name>.git. */
  root: string;
  /** 'file://<root>/' (trailing slash); a repository's URL is gitBaseUrl + 'BTCDecoded/<name>.git'. */
  gitBaseUrl: string;
  /** The repositories, in topological order (addRepository appends). */
  repositories: R[];
  /** The bare repository. */
  repoPath(repository: R): string;
  /** Head of main when the org was created (or opened); addRepository adds its repository. */
  heads: Record<R, string>;
  /** The named commits of each repository's main. */
  history: Record<R, RepositoryHistory>;
}

/** An org of the 'real' profile, keyed by the ten repository names (plus any added later). */
export type RealSandboxOrg<R extends string = RealRepository> = SandboxOrg<R> & { profile: 'real' };

export function orgAt<R extends string>(profile: SandboxOrg['profile'], root: string, repositories: R[]): SandboxOrg<R> {
  return {
    profile,
    root,
    gitBaseUrl: `file://${root}/`,
    repositories,
    repoPath: (repository) => join(root, SANDBOX_OWNER, `${repository}.git`),
    heads: {} as Record<R, string>,
    history: {} as Record<R, RepositoryHistory>,
  };
}

export function checkRepository<R extends string>(org: SandboxOrg<R>, repository: string): asserts repository is R {
  if (!(org.repositories as string[]).includes(repository)) {
    const what = org.profile === 'seed' ? 'component' : 'repository';
    throw new Error(`unknown ${what} ${JSON.stringify(repository)}; expected one of ${org.repositories.join(', ')}`);
  }
}

export async function assertEmptyOwner(root: string): Promise<void> {
  const owner = join(root, SANDBOX_OWNER);
  try {
    if ((await readdir(owner)).length > 0) {
      throw new Error(`${owner} already exists and is not empty; open it with openSandboxOrg`);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
