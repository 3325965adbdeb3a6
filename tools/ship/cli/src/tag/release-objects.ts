import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CommandError } from '../command';
import { mustPlumb } from './git-plumbing';

/** Who makes the release commits and tags: always the same, so the same request makes the same shas. */
export const RELEASE_IDENTITY = { name: 'bllvm-release', email: 'bllvm-release@users.noreply.github.com' } as const;

/** A file of the release commit: its path in the tree and its new text. */
export interface TreeEdit {
  path: string;
  text: string;
}

/** The release commit made (not yet on any ref) and the annotated tag naming it. */
export interface ReleaseObjects {
  commit: string;
  tree: string;
  tag: string;
}

/**
 * Git objects of release commits, written to a scratch object folder layered over a mirror (the
 * mirror's objects as an alternate): the mirror itself is never written, so a dry run leaves no
 * trace, and a push from the mirror with `env` sends the new objects. Only plumbing runs (no
 * checkout, no hook, no filter), and every object is made from fixed inputs: the same edits on the
 * same pin give the same commit and tag shas on every machine and every rerun.
 */
export class ScratchObjects {
  private constructor(
    readonly mirror: string,
    private readonly dir: string,
  ) {}

  static async over(mirror: string): Promise<ScratchObjects> {
    const dir = await mkdtemp(join(tmpdir(), 'bllvm-tag-'));
    // Git takes a repository whose object folder does not exist for no repository at all.
    await mkdir(join(dir, 'objects'));
    return new ScratchObjects(resolve(mirror), dir);
  }

  /** The environment under which git sees the mirror's objects plus the scratch ones. */
  get env(): NodeJS.ProcessEnv {
    return { GIT_OBJECT_DIRECTORY: join(this.dir, 'objects'), GIT_ALTERNATE_OBJECT_DIRECTORIES: join(this.mirror, 'objects'), GIT_INDEX_FILE: join(this.dir, 'index') };
  }

  /** git in the mirror over the scratch objects; throws naming the subcommand and git's reason. */
  git(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
    return mustPlumb(args, { cwd: this.mirror, input: opts.input, env: { ...this.env, ...opts.env } });
  }

  /**
   * The commit on top of `parent` whose tree is the parent's with `edits` (each file keeps its mode),
   * and the annotated tag `tagName` on it; author, committer and tagger are RELEASE_IDENTITY at the
   * parent's committer date, so the release commit never predates what it builds on.
   */
  async releaseCommit(parent: string, edits: readonly TreeEdit[], message: string, tagName: string): Promise<ReleaseObjects> {
    await this.git(['read-tree', '--end-of-options', `${parent}^{tree}`]);
    for (const e of edits) {
      const listed = await this.git(['ls-tree', '--end-of-options', parent, '--', e.path]);
      const mode = /^(100644|100755) blob /.exec(listed)?.[1];
      if (!mode) throw new CommandError(`${e.path} is not a regular file at ${parent.slice(0, 7)}`);
      const blob = await this.git(['hash-object', '-w', '--no-filters', '--stdin'], { input: e.text });
      await this.git(['update-index', '--cacheinfo', `${mode},${blob},${e.path}`]);
    }
    const tree = await this.git(['write-tree']);
    const date = await this.git(['show', '-s', '--format=%cd', '--date=raw', '--end-of-options', parent]);
    const { name, email } = RELEASE_IDENTITY;
    const env = { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email, GIT_COMMITTER_DATE: date };
    const commit = await this.git(['commit-tree', '--no-gpg-sign', '-p', parent, tree], { input: message, env });
    const tag = await this.git(['mktag'], { input: `object ${commit}\ntype commit\ntag ${tagName}\ntagger ${name} <${email}> ${date}\n\n${message}` });
    return { commit, tree, tag };
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
