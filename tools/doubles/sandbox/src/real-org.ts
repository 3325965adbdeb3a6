/**
 * The 'real' profile's effects: ten bare repositories with the rename in their history, the old
 * names as symlinks to the new bare repositories (GitHub's redirects), and addRepository for a
 * repository that joins the stack later. What the trees hold is decided in real-crates.ts.
 */
import { lstat, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SANDBOX_OWNER } from './components';
import { FAULT_FILE, REVISION_FILE, faultSource, revisionSource } from './crates';
import { branchHead, branchLog, commitToBare, initBare, isBareRepo } from './git';
import { assertEmptyOwner, checkRepository, orgAt, type RealSandboxOrg, type RepositoryHistory, type SandboxOrg } from './org-shape';
import { headManifest, realRepositoryFiles } from './real-crates';
import {
  REAL_REPOSITORIES,
  REAL_REPOSITORY_NAMES,
  crateDirAt,
  marksOf,
  type RealMark,
  type RealRepository,
  type RealRepositorySpec,
} from './real-profile';

/** The subject of the commit that makes each mark; openRealOrg finds the marks again by them. */
export function markSubject(spec: Pick<RealRepositorySpec, 'repository' | 'formerNames'>, mark: RealMark): string {
  const old = spec.formerNames[0] ?? spec.repository;
  switch (mark) {
    case 'initial':
      return `Initial ${spec.repository} crate (bllvm sandbox)`;
    case 'beforeRename':
      return `Initial ${old} crate (bllvm sandbox)`;
    case 'afterRename':
      return `Rename ${old} to ${spec.repository} (bllvm sandbox)`;
    case 'root':
      return `Move the ${spec.repository} crate from ${crateDirAt(spec.repository, 'afterRename')}/ to the repository root (bllvm sandbox)`;
  }
}

async function commitMarks(org: SandboxOrg<string>, spec: RealRepositorySpec): Promise<void> {
  const bare = org.repoPath(spec.repository);
  await initBare(bare);
  const history: RepositoryHistory = {};
  let head = '';
  for (const mark of marksOf(spec)) {
    const files = realRepositoryFiles(spec, mark);
    head = await commitToBare(bare, 'main', async (tree) => {
      // Each mark is the whole tree: renamed and moved files leave their old place.
      await tree.clear();
      await tree.write(files);
      return markSubject(spec, mark);
    });
    history[mark] = head;
  }
  org.heads[spec.repository] = head;
  org.history[spec.repository] = history;
}

export async function createRealOrg(root: string): Promise<RealSandboxOrg> {
  await assertEmptyOwner(root);
  const org = orgAt<string>('real', root, [...REAL_REPOSITORY_NAMES]);
  await Promise.all(REAL_REPOSITORIES.map((spec) => commitMarks(org, spec)));
  // Created in parallel; listed in topological order so printing an org is deterministic too.
  org.heads = Object.fromEntries(org.repositories.map((r) => [r, org.heads[r]!]));
  org.history = Object.fromEntries(org.repositories.map((r) => [r, org.history[r]!]));
  // GitHub redirects the old names; here they are symlinks next to the renamed bare repository.
  for (const spec of REAL_REPOSITORIES) {
    for (const old of spec.formerNames) {
      await symlink(`${spec.repository}.git`, join(root, SANDBOX_OWNER, `${old}.git`));
    }
  }
  return org as RealSandboxOrg;
}

/** Repositories added with addRepository: bare repositories (not symlinks) beyond the ten. */
async function addedRepositories(root: string): Promise<string[]> {
  const owner = join(root, SANDBOX_OWNER);
  const names: string[] = [];
  for (const entry of (await readdir(owner)).sort()) {
    const name = entry.replace(/\.git$/, '');
    if (name === entry || (REAL_REPOSITORY_NAMES as readonly string[]).includes(name)) continue;
    if ((await lstat(join(owner, entry))).isSymbolicLink()) continue;
    if (await isBareRepo(join(owner, entry))) names.push(name);
  }
  return names;
}

export async function openRealOrg(root: string): Promise<SandboxOrg<string>> {
  const added = await addedRepositories(root);
  const org = orgAt<string>('real', root, [...REAL_REPOSITORY_NAMES, ...added]);
  const missing: string[] = [];
  for (const r of org.repositories) if (!(await isBareRepo(org.repoPath(r)))) missing.push(r);
  if (missing.length > 0) {
    throw new Error(`${root} is not a complete 'real' sandbox org: no bare repository for ${missing.join(', ')}`);
  }
  for (const r of org.repositories) {
    org.heads[r] = await branchHead(org.repoPath(r), 'main');
    const spec = REAL_REPOSITORIES.find((s) => s.repository === r) ?? { repository: r, formerNames: [], beforeRename: undefined };
    const log = await branchLog(org.repoPath(r), 'main');
    const history: RepositoryHistory = {};
    for (const mark of marksOf(spec)) {
      const subject = markSubject(spec, mark);
      const found = log.find((c) => c.subject === subject);
      if (found) history[mark] = found.sha;
    }
    org.history[r] = history;
  }
  return org;
}

export interface AddRepositoryOptions {
  /** Real-profile repositories it depends on (default blvm-protocol), as crates.io ranges + patch. */
  dependsOn?: readonly RealRepository[];
  description?: string;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** lib.rs of an added library: it reads every upstream's API, so a broken upstream breaks it. */
function addedLibRs(name: string, upstreams: readonly string[]): string {
  const calls = upstreams.map((u) => `    sum += ${u.replaceAll('-', '_')}::REVISION;\n`).join('');
  return `//! ${name}: a library that joined the sandbox blvm stack later.

mod fault;
mod revision;

pub use revision::REVISION;

/// The sum of the upstreams' revisions: it calls every upstream crate.
pub fn upstream_revisions() -> u32 {
    let mut sum = 0;
${calls}    sum
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_its_upstreams() {
        assert_eq!(super::upstream_revisions(), super::upstream_revisions());
    }
}
`;
}

/**
 * Adds a library repository to a 'real' org (e.g. blvm-mempool), depending on real-profile
 * repositories through crates.io ranges and a [patch.crates-io] of siblings, as the ten do. Its
 * history is one commit, mark `initial`. Returns the org, typed with the new repository.
 */
export async function addRepository<R extends string, N extends string>(
  org: SandboxOrg<R>,
  name: N,
  opts: AddRepositoryOptions = {},
): Promise<SandboxOrg<R | N>> {
  if (org.profile !== 'real') throw new Error("addRepository needs an org of the 'real' profile");
  if (!NAME.test(name)) throw new Error(`repository name must be lowercase words joined by '-', got ${JSON.stringify(name)}`);
  if ((org.repositories as string[]).includes(name) || REAL_REPOSITORIES.some((s) => s.formerNames.includes(name))) {
    throw new Error(`repository ${name} already exists in the org`);
  }
  const dependsOn = opts.dependsOn ?? ['blvm-protocol'];
  if (dependsOn.length === 0) throw new Error('an added repository needs at least one upstream');
  for (const d of dependsOn) checkRepository(org, d);
  const spec: RealRepositorySpec = {
    repository: name,
    component: name,
    kinds: ['library'],
    description: opts.description ?? 'a library added later',
    formerNames: [],
    dependencies: dependsOn.map((repository) => ({ repository, version: '>=0.1, <1' })),
    features: {},
    binaries: [],
  };
  const files = {
    '.gitignore': 'target/\n',
    'README.md': `# ${name}\n\nSandbox stand-in for \`BTCDecoded/${name}\`, added to the 'real' profile by addRepository.\n`,
    'Cargo.toml': headManifest(spec),
    'src/lib.rs': addedLibRs(name, dependsOn),
    [FAULT_FILE]: faultSource(name, null),
    [REVISION_FILE]: revisionSource(0),
  };
  const wide = org as unknown as SandboxOrg<R | N>;
  const bare = wide.repoPath(name);
  await initBare(bare);
  const head = await commitToBare(bare, 'main', async (tree) => {
    await tree.write(files);
    return markSubject(spec, 'initial');
  });
  wide.repositories.push(name);
  wide.heads[name] = head;
  wide.history[name] = { initial: head };
  return wide;
}
