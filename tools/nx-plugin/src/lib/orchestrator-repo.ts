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

export interface LastRelease {
  commit: string;
  /** The release tag it published, from the annotated tag's message (undefined for a plain tag). */
  tag?: string;
  pins: Record<string, string | undefined>;
}

export async function lastRelease(root: string, graph: ComponentGraph): Promise<LastRelease | undefined> {
  const c = await git(['rev-parse', '--verify', '--quiet', `refs/tags/${LAST_RELEASE}^{commit}`], { cwd: root });
  if (!c.ok) return undefined;
  const msg = await git(['tag', '-l', '--format=%(contents:subject)', LAST_RELEASE], { cwd: root });
  const tag = /^(v\d+\.\d+\.\d+|nightly-\d{8}-[0-9a-f]{7})$/.exec(msg.stdout)?.[1];
  const pins: Record<string, string | undefined> = {};
  for (const component of graph.components) {
    const path = `${graph.roots[component]}/${PIN_FILE}`;
    const r = await git(['show', `${c.stdout}:${path}`], { cwd: root });
    pins[component] = r.ok ? parsePin(r.stdout, `${LAST_RELEASE}:${path}`).commit : undefined;
  }
  return { commit: c.stdout, tag, pins };
}

/** Move `last-release` (only that tag) to the released commit, annotated with the release tag. */
export async function moveLastRelease(root: string, commit: string, releaseTag: string, pushRemote?: string): Promise<void> {
  const ident = (await git(['config', 'user.email'], { cwd: root })).ok
    ? []
    : ['-c', 'user.name=bllvm-release', '-c', 'user.email=bllvm-release@users.noreply.github.com'];
  const t = await git([...ident, 'tag', '--force', '--annotate', '--message', releaseTag, LAST_RELEASE, commit], { cwd: root });
  if (!t.ok) throw new Error(`cannot move ${LAST_RELEASE} to ${commit}: ${gitReason(t)}`);
  if (pushRemote) {
    const p = await git(['push', '--force', pushRemote, `refs/tags/${LAST_RELEASE}`], { cwd: root });
    if (!p.ok) throw new Error(`published ${releaseTag}, but pushing ${LAST_RELEASE} to ${pushRemote} failed: ${gitReason(p)}; rerun to retry (publishing converges)`);
  }
}
