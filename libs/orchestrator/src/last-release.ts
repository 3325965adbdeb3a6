import type { ComponentGraph } from '@bllvm/manifest';
import { git, gitReason } from '@bllvm/sources';
import { RepoError } from './errors';
import { identityArgs } from './git';
import { samePins } from './pins';
import { resolveRevision } from './repo';

/** The tag in this repository that marks what was last published: `nx affected --base=last-release`. */
export const LAST_RELEASE = 'last-release';

export interface ReleasePoint {
  /** Orchestrator commit that was released. */
  commit: string;
  /** The release tag it published (undefined where unknown, e.g. a plain tag made by hand). */
  tag?: string;
}

export interface LastRelease extends ReleasePoint {
  /** The release before it, recorded in the annotated tag, so re-publishing the same commit finds its real predecessor. */
  previous?: ReleasePoint;
}

const TAG_NAME = /^(v\d+\.\d+\.\d+|nightly-\d{8}-[0-9a-f]{7})$/;

export async function lastRelease(root: string): Promise<LastRelease | undefined> {
  const c = await git(['rev-parse', '--verify', '--quiet', `refs/tags/${LAST_RELEASE}^{commit}`], { cwd: root });
  if (!c.ok) return undefined;
  const msg = await git(['tag', '-l', '--format=%(contents)', LAST_RELEASE], { cwd: root });
  return { commit: c.stdout, ...parseLastReleaseMessage(msg.stdout) };
}

/** Said once by what compares with `--base last-release` in a repository that has not released yet. */
export const NO_RELEASE_YET = `no ${LAST_RELEASE} tag here yet (nothing released from this repository, or its tags not fetched): every component builds`;

/**
 * The commit a `--base` names, or undefined for `last-release` when there is no such tag: a freshly
 * adopted org has released nothing, so everything is new (the caller builds every component and
 * says NO_RELEASE_YET). Any other revision that does not exist is refused (resolveRevision).
 */
export async function resolveBase(root: string, base: string): Promise<string | undefined> {
  if (base === LAST_RELEASE && (await lastRelease(root)) === undefined) return undefined;
  return resolveRevision(root, base);
}

/** What the annotated tag's message says (pure: subject = release tag, body line = the one before). */
export function parseLastReleaseMessage(message: string): Omit<LastRelease, 'commit'> {
  const [subject, ...body] = message.split('\n');
  const prev = body.map((l) => /^previous-release: ([0-9a-f]{40})(?: (\S+))?$/.exec(l)).find(Boolean);
  return {
    tag: TAG_NAME.exec(subject ?? '')?.[1],
    previous: prev ? { commit: prev[1]!, tag: TAG_NAME.exec(prev[2] ?? '')?.[1] } : undefined,
  };
}

export function lastReleaseMessage(releaseTag: string, previous: ReleasePoint | undefined): string {
  return previous ? `${releaseTag}\n\nprevious-release: ${previous.commit}${previous.tag ? ` ${previous.tag}` : ''}` : releaseTag;
}

/** HEAD records exactly the pins that `last-release` recorded (false when there is no `last-release`). */
export async function sameAsLastRelease(root: string, graph: ComponentGraph): Promise<boolean> {
  const last = await lastRelease(root);
  return last !== undefined && samePins(root, graph, last.commit, 'HEAD');
}

/**
 * Move `last-release` (only that tag) to the released commit, annotated with the release tag and
 * the release before it.
 */
export async function moveLastRelease(root: string, commit: string, releaseTag: string, previous: ReleasePoint | undefined, pushRemote?: string): Promise<void> {
  const message = lastReleaseMessage(releaseTag, previous);
  const t = await git([...(await identityArgs(root)), 'tag', '--force', '--annotate', '--message', message, LAST_RELEASE, commit], { cwd: root });
  if (!t.ok) throw new RepoError(`cannot move ${LAST_RELEASE} to ${commit}: ${gitReason(t)}`);
  if (pushRemote) {
    // Two runs that published the same set push the tag at once; the remote then refuses one of
    // them while the other holds the ref's lock ("failed to update ref"). That is transient: retry.
    let p = await git(['push', '--force', pushRemote, `refs/tags/${LAST_RELEASE}`], { cwd: root });
    for (let attempt = 1; !p.ok && attempt <= 4; attempt++) {
      await new Promise((r) => setTimeout(r, 500 * attempt));
      p = await git(['push', '--force', pushRemote, `refs/tags/${LAST_RELEASE}`], { cwd: root });
    }
    if (!p.ok) throw new RepoError(`published ${releaseTag}, but pushing ${LAST_RELEASE} to ${pushRemote} failed: ${gitReason(p)}; rerun to retry (publishing converges)`);
  }
}
