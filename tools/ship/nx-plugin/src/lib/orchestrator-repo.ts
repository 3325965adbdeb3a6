import { type ComponentGraph, PIN_FILE, parsePin } from '@bllvm/manifest';
import { git, gitReason } from '@bllvm/sources';

/** The tag in this repository that marks what was last published: `nx affected --base=last-release`. */
export const LAST_RELEASE = 'last-release';

/** Git facts about this (the orchestrator's) repository, which records the pins that are released. */
export async function headCommit(root: string): Promise<string> {
  const r = await git(['rev-parse', 'HEAD'], { cwd: root });
  if (!r.ok) throw new Error(`cannot read HEAD of ${root}: ${gitReason(r)}`);
  return r.stdout;
}

/** Committer date of a commit: a release's timestamp that is the same on every rerun. */
export async function commitDate(root: string, commit: string): Promise<string> {
  const r = await git(['show', '-s', '--format=%cI', commit], { cwd: root });
  if (!r.ok) throw new Error(`cannot read commit ${commit}: ${gitReason(r)}`);
  return new Date(r.stdout).toISOString();
}

/** Pin files with changes not committed: publishing them would release pins no commit records. */
export async function uncommittedPins(root: string): Promise<string[]> {
  const r = await git(['status', '--porcelain', '--', `apps/*/${PIN_FILE}`], { cwd: root });
  return r.stdout ? r.stdout.split('\n').map((l) => l.slice(3)) : [];
}

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
  const [subject, ...body] = msg.stdout.split('\n');
  const prev = body.map((l) => /^previous-release: ([0-9a-f]{40})(?: (\S+))?$/.exec(l)).find(Boolean);
  return {
    commit: c.stdout,
    tag: TAG_NAME.exec(subject ?? '')?.[1],
    previous: prev ? { commit: prev[1]!, tag: TAG_NAME.exec(prev[2] ?? '')?.[1] } : undefined,
  };
}

/** The pins a commit of this repository recorded (undefined for components it did not have). */
export async function pinsAt(root: string, graph: ComponentGraph, commit: string): Promise<Record<string, string | undefined>> {
  const pins: Record<string, string | undefined> = {};
  for (const component of graph.components) {
    const path = `${graph.roots[component]}/${PIN_FILE}`;
    const r = await git(['show', `${commit}:${path}`], { cwd: root });
    pins[component] = r.ok ? parsePin(r.stdout, `${commit.slice(0, 7)}:${path}`).commit : undefined;
  }
  return pins;
}

/**
 * Move `last-release` (only that tag) to the released commit, annotated with the release tag and
 * the release before it.
 */
export async function moveLastRelease(root: string, commit: string, releaseTag: string, previous: ReleasePoint | undefined, pushRemote?: string): Promise<void> {
  const ident = (await git(['config', 'user.email'], { cwd: root })).ok
    ? []
    : ['-c', 'user.name=bllvm-release', '-c', 'user.email=bllvm-release@users.noreply.github.com'];
  const message = previous ? `${releaseTag}\n\nprevious-release: ${previous.commit}${previous.tag ? ` ${previous.tag}` : ''}` : releaseTag;
  const t = await git([...ident, 'tag', '--force', '--annotate', '--message', message, LAST_RELEASE, commit], { cwd: root });
  if (!t.ok) throw new Error(`cannot move ${LAST_RELEASE} to ${commit}: ${gitReason(t)}`);
  if (pushRemote) {
    const p = await git(['push', '--force', pushRemote, `refs/tags/${LAST_RELEASE}`], { cwd: root });
    if (!p.ok) throw new Error(`published ${releaseTag}, but pushing ${LAST_RELEASE} to ${pushRemote} failed: ${gitReason(p)}; rerun to retry (publishing converges)`);
  }
}
