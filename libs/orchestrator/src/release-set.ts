import { join } from 'node:path';
import { type ComponentGraph, pinPath, readComponents, readPin, readVersions } from '@bllvm/manifest';
import { type SourcesConfig, ensureMirror, isOnBranch, resolveTag } from '@bllvm/sources';
import { RepoError } from './errors';
import { type CommitPinsResult, type DeriveGraph, type PushTarget, commitPinMoves, describeMoves, movesBody } from './move-pins';
import { officialTagOf } from './official-tag';
import { type PinState, planPinMoves } from './plan-moves';

export interface PinReleaseSetOptions {
  workspaceRoot: string;
  graph: ComponentGraph;
  sources: SourcesConfig;
  push?: PushTarget;
  log: (line: string) => void;
  /**
   * Release a tag whose commit is not reachable from the branch the pin tracks. Off by default: the
   * next nightly refuses to move a pin backwards or sideways, so such a release blocks it until
   * someone forces the refresh.
   */
  allowOffBranch?: boolean;
  /** Makes the graph follow the tagged commits' manifests before the pins are committed (CommitPinsOptions.deriveGraph). */
  deriveGraph?: DeriveGraph;
}

/** Pin every component to the commit of its versions.toml tag (checked against git_commit when given), in one commit. */
export async function pinReleaseSet(o: PinReleaseSetOptions): Promise<CommitPinsResult> {
  const root = o.workspaceRoot;
  // The real files name components by their repositories (and sometimes former names): read them as ids.
  const versions = await readVersions(join(root, 'versions.toml'), { components: await readComponents(root, o.graph) });
  for (const w of versions.warnings) o.log(`warning: ${w}`);
  const wanted: Record<string, string> = {};
  for (const c of o.graph.components) {
    const entry = versions.entries[c];
    if (!entry) throw new RepoError(`versions.toml has no entry for ${c}`);
    const pin = await readPin(pinPath(root, o.graph.roots[c]!));
    const mirror = await ensureMirror(o.sources, pin.repository, { refresh: true, component: c });
    const commit = await resolveTag(mirror, entry.gitTag);
    // Here, unlike in `check`, the tag is what is released: versions.toml may name tags nobody has
    // made yet, and releasing the set needs each of them.
    if (!commit)
      throw new RepoError(`${c}: tag ${entry.gitTag} does not exist in ${pin.repository}; versions.toml may name a tag before it is made: create it in ${pin.repository}, or correct git_tag, then release again`);
    if (entry.gitCommit && entry.gitCommit !== commit)
      throw new RepoError(`${c}: versions.toml says ${entry.gitTag} is ${entry.gitCommit}, but the tag points at ${commit}`);
    if (!o.allowOffBranch && !(await isOnBranch(mirror, commit, pin.branch)))
      throw new RepoError(
        `${c}: tag ${entry.gitTag} (${commit}) is not reachable from ${pin.repository} branch ${pin.branch}, the branch its pin tracks; ` +
          `the next nightly could not move on from it. Tag a commit of ${pin.branch} (or merge the tagged one), or pass --allow-off-branch ` +
          'to release it anyway (the nightly after it then needs --force)',
      );
    wanted[c] = commit;
  }
  const tag = officialTagOf(versions);
  const result = await commitPinMoves(
    async (pins) => {
      const current: Record<string, PinState> = {};
      for (const c of o.graph.components) current[c] = await pins(c);
      // Forced: the tagged commits are the release, older than the pins or not (the on-branch check above is the guard).
      return planPinMoves(current, o.graph.components.map((c) => ({ component: c, to: wanted[c]!, force: true }))).moves;
    },
    (moves) => `release ${tag}: pin the tagged commits (${describeMoves(moves)})\n\n${movesBody(moves)}`,
    { workspaceRoot: root, roots: o.graph.roots, push: o.push, log: o.log, deriveGraph: o.deriveGraph },
  );
  o.log(result.moves.length ? `pinned the ${tag} set: ${describeMoves(result.moves)}` : `pins already at the ${tag} set`);
  return result;
}
