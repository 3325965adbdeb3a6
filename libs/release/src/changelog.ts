import { execa } from 'execa';
import { isCommitSha, repositoryProblem } from '@bllvm/manifest';
import { assertComponentName } from './names';

export interface ChangelogCommit {
  sha: string;
  /** Raw, untrusted: escape before rendering. */
  subject: string;
  /** Raw, untrusted: escape before rendering. */
  author: string;
}

interface Base {
  component: string;
  repository: string;
  current: string;
}

/**
 * What happened to one component since the previous release. Every case the notes must explain
 * is a status of its own, so a rewritten history or a vanished commit is reported, not thrown.
 */
export type ComponentChangelog =
  | (Base & { status: 'new' })
  | (Base & { status: 'unchanged'; previous: string })
  | (Base & { status: 'changed'; previous: string; commits: ChangelogCommit[] })
  /** `previous` exists but is not an ancestor of `current`: history was rewritten or the pin moved back. */
  | (Base & { status: 'diverged'; previous: string })
  /** `previous` is not in the mirror at all (force-pushed away and collected, or never fetched). */
  | (Base & { status: 'previous-missing'; previous: string });

export interface CollectChangelogOptions {
  /** Path of the bare git mirror holding this component's history. */
  mirrorDir: (component: string) => string;
  /** The previous release's pins; undefined (or absent) for components it did not have. */
  previous: Readonly<Record<string, string | undefined>>;
  /** This release's pins, in graph order: the result keeps that order. */
  current: Readonly<Record<string, string>>;
  repositories: Readonly<Record<string, string>>;
}

/** Reads each component's history between the two releases from its mirror. Never touches the network. */
export async function collectChangelog(options: CollectChangelogOptions): Promise<ComponentChangelog[]> {
  const result: ComponentChangelog[] = [];
  for (const [component, current] of Object.entries(options.current)) {
    assertComponentName(component);
    const repository = options.repositories[component];
    const repoProblem = repositoryProblem(repository);
    if (repoProblem) throw new Error(`changelog: ${component}: repository ${repoProblem}`);
    if (!isCommitSha(current)) throw new Error(`changelog: ${component}: current commit ${JSON.stringify(current)} is not 40-hex`);
    const previous = options.previous[component];
    const base: Base = { component, repository: repository!, current };

    if (previous === undefined) {
      result.push({ ...base, status: 'new' });
      continue;
    }
    // Validated before use: these strings become git arguments.
    if (!isCommitSha(previous)) throw new Error(`changelog: ${component}: previous commit ${JSON.stringify(previous)} is not 40-hex`);
    if (previous === current) {
      result.push({ ...base, status: 'unchanged', previous });
      continue;
    }

    const git = mirrorGit(options.mirrorDir(component));
    // A missing current commit means the mirror is stale; notes written from it would be wrong.
    if (!(await git.hasCommit(current))) {
      throw new Error(`changelog: ${component}: commit ${current} is not in the mirror ${git.dir}; fetch it first`);
    }
    if (!(await git.hasCommit(previous))) {
      result.push({ ...base, status: 'previous-missing', previous });
      continue;
    }
    if (!(await git.isAncestor(previous, current))) {
      result.push({ ...base, status: 'diverged', previous });
      continue;
    }
    result.push({ ...base, status: 'changed', previous, commits: await git.log(previous, current) });
  }
  return result;
}

/** Output of `git log -z --format=%H%x1f%s%x1f%an`, newest first as git gives it. */
export function parseGitLog(stdout: string): ChangelogCommit[] {
  return stdout
    .split('\0')
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record.length > 0)
    .map((record) => {
      const first = record.indexOf('\x1f');
      const last = record.lastIndexOf('\x1f');
      const sha = record.slice(0, first);
      if (first < 0 || first === last || !isCommitSha(sha)) throw new Error(`unexpected git log record: ${JSON.stringify(record.slice(0, 120))}`);
      // The subject is untrusted and may itself contain \x1f; the sha and author ends are fixed.
      return { sha, subject: record.slice(first + 1, last), author: record.slice(last + 1) };
    });
}

function mirrorGit(dir: string) {
  const run = (args: string[]) =>
    execa(
      'git',
      // Settings a user's config could otherwise change the output with (signatures, replace refs, encoding).
      ['--git-dir', dir, '--no-replace-objects', '-c', 'log.showSignature=false', '-c', 'i18n.logOutputEncoding=UTF-8', ...args],
      { reject: false, stdin: 'ignore', env: { LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' } },
    );
  const fail = (what: string, r: { exitCode?: number; stderr: string }): never => {
    throw new Error(`git ${what} in ${dir} failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
  };
  return {
    dir,
    async hasCommit(sha: string): Promise<boolean> {
      const r = await run(['cat-file', '-e', `${sha}^{commit}`]);
      if (r.exitCode === 0) return true;
      // cat-file says "not a valid object" for both a missing object and a broken repository; tell them apart.
      const repo = await run(['rev-parse', '--git-dir']);
      if (repo.exitCode !== 0) fail('rev-parse', repo);
      return false;
    },
    async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
      const r = await run(['merge-base', '--is-ancestor', ancestor, descendant]);
      if (r.exitCode === 0) return true;
      if (r.exitCode === 1) return false;
      return fail('merge-base', r);
    },
    async log(from: string, to: string): Promise<ChangelogCommit[]> {
      const r = await run(['log', '-z', '--format=%H%x1f%s%x1f%an', '--no-merges', `${from}..${to}`]);
      if (r.exitCode !== 0) fail('log', r);
      return parseGitLog(r.stdout);
    },
  };
}
