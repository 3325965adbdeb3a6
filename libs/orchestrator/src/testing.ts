import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { type ComponentGraph, formatPin } from '@bllvm/manifest';

// The orchestrator's testing entry (`@bllvm/orchestrator/testing`): its own tests' git fixtures, and
// what other projects' tests need to look inside it.

/** Where the run lock lies, so a fault test can say it was released. */
export { runLockPaths } from './run-lock';

/** Fixed identity and clock for the test's own commits, so they differ from the library's fallback. */
const TEST_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.invalid',
  GIT_COMMITTER_NAME: 'Test Committer',
  GIT_COMMITTER_EMAIL: 'committer@example.invalid',
  GIT_AUTHOR_DATE: '2026-11-27T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-11-27T00:00:00Z',
};

/** git as the test (not the library) runs it; trimmed stdout. */
export async function tgit(cwd: string, ...args: string[]): Promise<string> {
  return (await execa('git', args, { cwd, env: TEST_ENV })).stdout.trim();
}

/**
 * Make the library's git (which inherits process.env) see no user or system configuration and no
 * identity from the environment, so the fallback identity is what a bare CI runner would get.
 * Returns the function that puts process.env back.
 */
export function isolateGitEnv(): () => void {
  const keys = ['GIT_CONFIG_GLOBAL', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'EMAIL'];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  for (const k of keys) delete process.env[k];
  process.env.GIT_CONFIG_GLOBAL = '/dev/null';
  return () => {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  };
}

export const sha = (n: number) => n.toString(16).padStart(40, '0');

export const GRAPH: ComponentGraph = {
  components: ['alpha', 'beta'],
  dependencies: { alpha: [], beta: ['alpha'] },
  roots: { alpha: 'apps/alpha', beta: 'apps/beta' },
  tags: { alpha: [], beta: [] },
};

export interface TestRepos {
  dir: string;
  /** A bare repository standing in for GitHub's copy of this repo, branch main. */
  origin: string;
  /** A clone of origin: the workspace the library works in. */
  work: string;
  /** Another clone, to race the workspace with. */
  clone(name: string): Promise<string>;
  remove(): Promise<void>;
}

/**
 * A bare origin and a workspace clone holding apps/alpha and apps/beta pin files at sha(1), sha(2).
 * The library's git reads no user configuration, so with `user.email` unset it uses its fallback.
 */
export async function makeRepos(): Promise<TestRepos> {
  const dir = await mkdtemp(join(tmpdir(), 'bllvm-orchestrator-'));
  const origin = join(dir, 'origin.git');
  const work = join(dir, 'work');
  await tgit(dir, 'init', '-q', '--bare', '-b', 'main', origin);
  await tgit(dir, 'init', '-q', '-b', 'main', work);
  for (const [i, c] of GRAPH.components.entries()) {
    await mkdir(join(work, GRAPH.roots[c]!), { recursive: true });
    await writeFile(join(work, GRAPH.roots[c]!, 'pin.toml'), formatPin({ repository: `Org/${c}`, branch: 'main', commit: sha(i + 1) }));
  }
  await tgit(work, 'add', '-A');
  await tgit(work, 'commit', '-q', '-m', 'initial pins');
  await tgit(work, 'remote', 'add', 'origin', origin);
  await tgit(work, 'push', '-q', 'origin', 'main');
  return {
    dir,
    origin,
    work,
    async clone(name) {
      const to = join(dir, name);
      await tgit(dir, 'clone', '-q', origin, to);
      return to;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Commit a change to one file in `cwd` as the test identity; returns the new commit. */
export async function commitFile(cwd: string, path: string, content: string, message: string): Promise<string> {
  await mkdir(join(cwd, path, '..'), { recursive: true });
  await writeFile(join(cwd, path), content);
  await tgit(cwd, 'add', '--', path);
  await tgit(cwd, 'commit', '-q', '-m', message);
  return tgit(cwd, 'rev-parse', 'HEAD');
}
