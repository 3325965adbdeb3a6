import { join } from 'node:path';
import { type ComponentGraph, pinPath, readPin, readVersions } from '@bllvm/manifest';
import { nightlyTag, releaseSetTag } from '@bllvm/release';
import { type SourcesConfig, ensureMirror, git, resolveTag } from '@bllvm/sources';
import { type CommandContext, CommandError } from '../command';
import { type ApplyResult, refreshPins } from '../events/apply-event';
import { type PinMove, commitPinMoves, describeMoves, movesBody } from '../pins/move-pins';
import { type TaskOutcome, formatTaskTable, runTargets } from '../run-targets';
import { loadGraph } from '../workspace';

export type ReleaseKind = 'nightly' | 'prerelease' | 'release';

/** What `nightly`, `prerelease` and `release` print with `--json`. */
export interface ReleaseRunReport {
  kind: ReleaseKind;
  tag: string;
  dryRun: boolean;
  ok: boolean;
  moves: PinMove[];
  wallMs: number;
  tasks: TaskOutcome[];
}

export interface ReleaseOptions {
  kind: ReleaseKind;
  dryRun: boolean;
  force: boolean;
  push?: { remote: string; branch: string };
  configuration?: string;
  json: boolean;
  now?: Date;
}

/**
 * The release verbs: (nightly) refresh pins to branch heads, (release) pin versions.toml's tags;
 * then build, test and verify what is not cached and publish, through `nx run-many -t release`.
 * A dry run does everything locally and writes nothing anywhere: the pin commit it needs for the
 * tag is undone at the end.
 */
export async function runRelease(o: ReleaseOptions, ctx: CommandContext): Promise<number> {
  const root = ctx.workspaceRoot;
  const graph = await loadGraph(root);
  const cfg = ctx.config;
  const startHead = (await git(['rev-parse', 'HEAD'], { cwd: root })).stdout;
  // A dry run must not push the pin commit it makes locally.
  const push = o.dryRun ? undefined : o.push;
  const applyOpts = { workspaceRoot: root, graph, sources: cfg, push, log: ctx.err };
  try {
    let moved: ApplyResult = { moves: [] };
    if (o.kind === 'nightly') {
      moved = await refreshPins(applyOpts, 'nightly', o.force);
      ctx.err(moved.moves.length ? `pins moved: ${describeMoves(moved.moves)}` : 'pins already at their branch heads');
      if (!moved.moves.length && !o.force && (await sameAsLastRelease(root, graph))) {
        ctx.out('nothing changed since the last release; nothing to publish (--force publishes anyway)');
        return 0;
      }
    } else if (o.kind === 'release') {
      moved = await pinReleaseSet(root, graph, cfg, push, ctx);
    }
    const head = (await git(['rev-parse', 'HEAD'], { cwd: root })).stdout;
    const tag = o.kind === 'release' ? await officialTag(root) : nightlyTag(o.now ?? new Date(), head);
    ctx.err(`${o.dryRun ? 'dry run: ' : ''}${o.kind} ${tag} of orchestrator commit ${head.slice(0, 7)}`);
    const result = await runTargets({
      workspaceRoot: root,
      targets: ['release'],
      projects: [...graph.components, 'release-set'],
      configuration: o.configuration,
      // The release tasks' typed options (declared in the stage and publish schemas), not environment.
      overrides: { tag, dryRun: o.dryRun, ...(push ? { pushRemote: push.remote } : {}) },
      env: ctx.env,
      onOutput: o.json ? undefined : (s) => process.stderr.write(s),
    });
    const commits: Record<string, string> = {};
    for (const c of graph.components) commits[c] = (await readPin(pinPath(root, graph.roots[c]!))).commit;
    const publish = result.tasks.find((t) => t.task === 'release-set:release');
    const ok = result.exitCode === 0 && publish?.status === 'built';
    if (o.json) {
      const report: ReleaseRunReport = { kind: o.kind, tag, dryRun: o.dryRun, ok, moves: moved.moves, wallMs: result.wallMs, tasks: result.tasks };
      ctx.out(JSON.stringify(report, null, 2));
    }
    else {
      ctx.out('');
      ctx.out(formatTaskTable(result.tasks, commits));
      ctx.out(ok ? (publish?.message ?? `published ${tag}`) : `nothing published: ${whyNot(result.tasks)}`);
    }
    return ok ? 0 : 1;
  } finally {
    if (o.dryRun) {
      const now = (await git(['rev-parse', 'HEAD'], { cwd: root })).stdout;
      if (now !== startHead) {
        await git(['reset', '--quiet', '--keep', startHead], { cwd: root });
        ctx.err(`dry run: undid the local pin commit (HEAD back at ${startHead.slice(0, 7)})`);
      }
    }
  }
}

function whyNot(tasks: { task: string; status: string; message?: string }[]): string {
  const failed = tasks.filter((t) => t.status === 'failed');
  if (failed.length) return `failed: ${failed.map((t) => `${t.task}${t.message ? ` (${t.message.split('\n')[0]})` : ''}`).join('; ')}`;
  return 'the publish step did not run';
}

/** HEAD records exactly the pins that `last-release` recorded. */
async function sameAsLastRelease(root: string, graph: ComponentGraph): Promise<boolean> {
  const tag = await git(['rev-parse', '--verify', '--quiet', 'refs/tags/last-release^{commit}'], { cwd: root });
  if (!tag.ok) return false;
  for (const c of graph.components) {
    const path = `${graph.roots[c]}/pin.toml`;
    const before = await git(['show', `${tag.stdout}:${path}`], { cwd: root });
    const now = await git(['show', `HEAD:${path}`], { cwd: root });
    if (!before.ok || before.stdout !== now.stdout) return false;
  }
  return true;
}

async function officialTag(root: string): Promise<string> {
  const versions = await readVersions(join(root, 'versions.toml'));
  return releaseSetTag(Object.values(versions.entries).map((e) => e.version));
}

/** Pin every component to the commit of its versions.toml tag (checked against git_commit when given). */
async function pinReleaseSet(
  root: string,
  graph: ComponentGraph,
  cfg: SourcesConfig,
  push: ReleaseOptions['push'],
  ctx: CommandContext,
): Promise<ApplyResult> {
  const versions = await readVersions(join(root, 'versions.toml'));
  const wanted: Record<string, string> = {};
  for (const c of graph.components) {
    const entry = versions.entries[c];
    if (!entry) throw new CommandError(`versions.toml has no entry for ${c}`);
    const pin = await readPin(pinPath(root, graph.roots[c]!));
    const mirror = await ensureMirror(cfg, pin.repository, { refresh: true, component: c });
    const commit = await resolveTag(mirror, entry.gitTag);
    if (!commit) throw new CommandError(`${c}: tag ${entry.gitTag} does not exist in ${pin.repository}`);
    if (entry.gitCommit && entry.gitCommit !== commit)
      throw new CommandError(`${c}: versions.toml says ${entry.gitTag} is ${entry.gitCommit}, but the tag points at ${commit}`);
    wanted[c] = commit;
  }
  const tag = releaseSetTag(Object.values(versions.entries).map((e) => e.version));
  const result = await commitPinMoves(
    async (pins) => {
      const moves: PinMove[] = [];
      for (const c of graph.components) {
        const current = (await pins(c)).commit;
        if (current !== wanted[c]) moves.push({ component: c, from: current, to: wanted[c]! });
      }
      return moves;
    },
    (moves) => `release ${tag}: pin the tagged commits (${describeMoves(moves)})\n\n${movesBody(moves)}`,
    { workspaceRoot: root, roots: graph.roots, push, log: ctx.err },
  );
  ctx.err(result.moves.length ? `pinned the ${tag} set: ${describeMoves(result.moves)}` : `pins already at the ${tag} set`);
  return result;
}
