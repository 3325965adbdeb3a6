/**
 * Git effects for the sandbox: bare repositories, and commits made in a throw-away clone and
 * pushed, the way a developer would change a GitHub repository.
 */
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { execa } from 'execa';

/** One identity for every sandbox commit, so nothing depends on the user's git config. */
const IDENTITY = {
  GIT_AUTHOR_NAME: 'bllvm sandbox',
  GIT_AUTHOR_EMAIL: 'sandbox@btcdecoded.invalid',
  GIT_COMMITTER_NAME: 'bllvm sandbox',
  GIT_COMMITTER_EMAIL: 'sandbox@btcdecoded.invalid',
};

/**
 * Commit dates advance one minute per commit on the branch from a fixed start, so the same
 * sandbox operations always produce the same commit ids.
 */
const EPOCH_SECONDS = Date.UTC(2025, 10, 1) / 1000;

/** Variables that would point git at some other repository or config if inherited. */
const INHERITED_GIT_VARS = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_CONFIG'];

function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_GIT_VARS) delete env[name];
  return {
    ...env,
    ...IDENTITY,
    // Ignore ~/.gitconfig and /etc/gitconfig: signing, hooks or templates there must not leak in.
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    ...extra,
  };
}

export async function git(cwd: string, args: string[], extraEnv?: Record<string, string>): Promise<string> {
  const r = await execa('git', args, { cwd, env: gitEnv(extraEnv), extendEnv: false, stripFinalNewline: true });
  return r.stdout;
}

/** Creates a bare repository whose HEAD is main, serving fetches the way GitHub does. */
export async function initBare(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
  await git(path, ['init', '--quiet', '--bare', '--initial-branch=main']);
  // GitHub lets clients fetch any reachable commit by id and use partial-clone filters; a
  // pipeline that checks out pinned commits depends on both.
  await git(path, ['config', 'uploadpack.allowReachableSHA1InWant', 'true']);
  await git(path, ['config', 'uploadpack.allowFilter', 'true']);
}

export async function isBareRepo(path: string): Promise<boolean> {
  try {
    return (await git(path, ['rev-parse', '--is-bare-repository'])) === 'true';
  } catch {
    return false;
  }
}

/** The commit a branch of a bare repository points at. */
/** Subjects of the commits on a branch, oldest first, with their ids. */
export async function branchLog(bare: string, branch: string): Promise<{ sha: string; subject: string }[]> {
  const out = await git(bare, ['log', '--reverse', '--format=%H %s', `refs/heads/${branch}`]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => ({ sha: line.slice(0, 40), subject: line.slice(41) }));
}

export async function branchHead(bare: string, branch: string): Promise<string> {
  try {
    return await git(bare, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
  } catch {
    throw new Error(`no branch ${branch} in ${bare}`);
  }
}

async function branchExists(bare: string, branch: string): Promise<boolean> {
  try {
    await branchHead(bare, branch);
    return true;
  } catch {
    return false;
  }
}

export async function assertBranchName(branch: string): Promise<void> {
  try {
    await execa('git', ['check-ref-format', '--branch', branch], { env: gitEnv(), extendEnv: false });
  } catch {
    throw new Error(`invalid branch name: ${JSON.stringify(branch)}`);
  }
}

/** A working tree handed to a commit callback. */
export interface WorkTree {
  dir: string;
  read(path: string): Promise<string | undefined>;
  /** Writes files; those listed as executable get mode 0755 (the only mode bit git records). */
  write(files: Record<string, string>, opts?: { executable?: readonly string[] }): Promise<void>;
  /** Deletes files; a missing one is an error, so a typo cannot pass as a removal. */
  remove(paths: readonly string[]): Promise<void>;
  /** Deletes every file but .git, so the next write is the whole tree (renames, moves). */
  clear(): Promise<void>;
}

function safeJoin(root: string, rel: string): string {
  const norm = normalize(rel);
  if (rel === '' || isAbsolute(rel) || norm === '..' || norm.startsWith(`..${sep}`) || norm.split(sep).includes('.git')) {
    throw new Error(`file path must stay inside the repository: ${JSON.stringify(rel)}`);
  }
  return join(root, norm);
}

function workTree(dir: string): WorkTree {
  return {
    dir,
    async read(path) {
      try {
        return await readFile(safeJoin(dir, path), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async write(files, opts) {
      const executable = new Set(opts?.executable ?? []);
      for (const [path, content] of Object.entries(files)) {
        const file = safeJoin(dir, path);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, content);
        if (executable.has(path)) await chmod(file, 0o755);
      }
    },
    async remove(paths) {
      for (const path of paths) await unlink(safeJoin(dir, path));
    },
    async clear() {
      for (const name of await readdir(dir)) {
        if (name !== '.git') await rm(join(dir, name), { recursive: true, force: true });
      }
    },
  };
}

// Commits to one repository are serialised within this process: two concurrent pushes to the same
// branch would otherwise race and one would be rejected as non-fast-forward.
const queues = new Map<string, Promise<unknown>>();

function serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(task, task);
  queues.set(key, run.catch(() => undefined));
  return run;
}

/**
 * Makes one commit on `branch` of the bare repository: clones it into a temporary folder (starting
 * the branch from main if it does not exist yet), lets `change` edit the tree and name the commit,
 * commits everything and pushes. An empty bare repository gets a root commit. Returns the new
 * commit id.
 */
export function commitToBare(
  bare: string,
  branch: string,
  change: (tree: WorkTree) => Promise<string>,
): Promise<string> {
  return serialised(bare, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bllvm-sandbox-commit-'));
    try {
      const empty = !(await branchExists(bare, 'main'));
      if (empty) {
        await git(dir, ['init', '--quiet', `--initial-branch=${branch}`]);
      } else {
        const exists = await branchExists(bare, branch);
        await git(dir, ['clone', '--quiet', '--branch', exists ? branch : 'main', bare, '.']);
        if (!exists) await git(dir, ['checkout', '--quiet', '-b', branch]);
      }
      const message = await change(workTree(dir));
      await git(dir, ['add', '--all']);
      const count = empty ? 0 : Number(await git(dir, ['rev-list', '--count', 'HEAD']));
      const date = `@${EPOCH_SECONDS + 60 * count} +0000`;
      await git(dir, ['commit', '--quiet', '--allow-empty', '--no-verify', '-m', message], {
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      });
      await git(dir, ['push', '--quiet', bare, `HEAD:refs/heads/${branch}`]);
      return await git(dir, ['rev-parse', 'HEAD']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
