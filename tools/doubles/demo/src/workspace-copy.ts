import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { NX_LOCAL_ENV } from '@bllvm/contract';

export const WORKSPACE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@localhost',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@localhost',
};

export interface WorkspaceCopy {
  dir: string;
  /** Extra environment for nx() and cli(); tests add the sandbox's settings here. */
  env: NodeJS.ProcessEnv;
  git(...args: string[]): Promise<string>;
  nx(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  cli(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  remove(): Promise<void>;
}

/**
 * A throw-away git repository holding this workspace as it is on disk (tracked and untracked,
 * not ignored files), with node_modules linked in, so tests can commit, tag and move pins freely.
 */
export async function copyWorkspace(prefix = 'bllvm-ws-'): Promise<WorkspaceCopy> {
  const base = await mkdtemp(join(tmpdir(), prefix));
  const dir = join(base, 'workspace');
  await mkdir(dir);
  const { stdout } = await execa('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: WORKSPACE_ROOT });
  const files = stdout.split('\0').filter(Boolean);
  for (const f of files) {
    const from = join(WORKSPACE_ROOT, f);
    await mkdir(dirname(join(dir, f)), { recursive: true });
    await cp(from, join(dir, f), { force: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e; // deleted in the working tree but still in the index
    });
  }
  await symlink(join(WORKSPACE_ROOT, 'node_modules'), join(dir, 'node_modules'));
  const git = async (...args: string[]) => (await execa('git', args, { cwd: dir, env: GIT_ENV })).stdout;
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'workspace copy');
  const extra: NodeJS.ProcessEnv = {};
  const env = () => ({ ...process.env, ...GIT_ENV, ...NX_LOCAL_ENV, ...extra });
  return {
    dir,
    env: extra,
    git,
    // Nx's own entry, not npx: npx costs most of a second of CPU on every call.
    nx: (...args) => execa(process.execPath, [join(dir, 'node_modules/nx/dist/bin/nx.js'), ...args], { cwd: dir, env: env(), reject: false }) as never,
    cli: (...args) => execa(process.execPath, [join(dir, 'tools/ship/cli/bin/bllvm-release.cjs'), ...args], { cwd: dir, env: env(), reject: false }) as never,
    remove: () => rm(base, { recursive: true, force: true }),
  };
}
