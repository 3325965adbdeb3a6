import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { DEVELOP_SET_FILE, developSetPath } from '@bllvm/crates';
import { git } from '@bllvm/sources';
import { pinnedCommits, readComponents, readStack } from '@bllvm/manifest';
import {
  type ApplyResult, type PinMove, commitFiles, describeMoves, headCommit, officialTag, pinReleaseSet, refreshPins, restoreHead, sameAsLastRelease,
} from '@bllvm/orchestrator';
import { nightlyTag } from '@bllvm/release';
import type { CommandContext } from '../command';
import { type TaskOutcome, formatTaskTable, runTargets } from '../run-targets';
import { loadGraph } from '../workspace';
import { adoptAsImport } from './adopt';
import { syncGraph } from './derive-graph';
import { RELEASE_SET, releaseRuns } from './selection';
import { releaseSummaryLine } from './summary';
import { runDevelop } from '../develop/run-develop';

export type ReleaseKind = 'nightly' | 'prerelease' | 'release';

/** What `nightly`, `prerelease` and `release` print with `--json`. */
export interface ReleaseRunReport {
  kind: ReleaseKind;
  tag: string;
  dryRun: boolean;
  publishOnly: boolean;
  ok: boolean;
  /** The release is public after this run, even when a later step (the deploy signal) failed and ok is false. */
  published: boolean;
  moves: PinMove[];
  wallMs: number;
  tasks: TaskOutcome[];
}

export interface ReleaseOptions {
  kind: ReleaseKind;
  dryRun: boolean;
  force: boolean;
  /** release: accept versions.toml tags not reachable from the tracked branches. */
  allowOffBranch?: boolean;
  /** nightly: cut the develop set for the moved pins (runDevelop) before building. */
  develop?: boolean;
  /** Publish what dist/ already holds; build nothing (see releaseSelection). */
  publishOnly: boolean;
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
  const startHead = await headCommit(root);
  // A dry run must not push the pin commit it makes locally.
  const push = o.dryRun ? undefined : o.push;
  // Moved pins are committed with the graph their manifests give (what `nx sync:check` holds them to).
  const deriveGraph = syncGraph(root, ctx.config, ctx.env, ctx.err);
  try {
    let moved: ApplyResult = { moves: [] };
    if (o.kind === 'nightly') {
      const adopt = adoptAsImport((await readStack(root)).components);
      moved = await refreshPins({ workspaceRoot: root, graph, sources: cfg, push, log: ctx.err, adopt, deriveGraph }, 'nightly', o.force);
      ctx.err(moved.moves.length ? `pins moved: ${describeMoves(moved.moves)}` : 'pins already at their branch heads');
      if (!moved.moves.length && !o.force && (await sameAsLastRelease(root, graph))) {
        ctx.out('nothing changed since the last release; nothing to publish (--force publishes anyway)');
        return 0;
      }
      // The set is committed on top of the pins: the tag names the commit that holds both.
      if (o.develop && !o.publishOnly) await runDevelop({ dryRun: o.dryRun, ...(push ? { push } : {}) }, ctx);
    } else if (o.kind === 'release') {
      moved = await pinReleaseSet({ workspaceRoot: root, graph, sources: cfg, push, log: ctx.err, allowOffBranch: o.allowOffBranch, deriveGraph });
      if (!o.publishOnly) await dropDevelopSet(root, o.dryRun, push, ctx);
    }
    const head = await headCommit(root);
    const tag = o.kind === 'release' ? await officialTag(root) : nightlyTag(o.now ?? new Date(), head);
    ctx.err(`${o.dryRun ? 'dry run: ' : ''}${o.publishOnly ? 'publish only: ' : ''}${o.kind} ${tag} of orchestrator commit ${head.slice(0, 7)}`);
    // The release tasks' typed options (declared in the stage and publish schemas), not environment.
    const overrides = { tag, dryRun: o.dryRun, ...(push ? { pushRemote: push.remote } : {}) };
    const result = { exitCode: 0, wallMs: 0, tasks: [] as TaskOutcome[] };
    for (const run of releaseRuns(graph.components, o.publishOnly)) {
      const r = await runTargets({
        workspaceRoot: root,
        targets: run.targets,
        projects: run.projects,
        excludeTaskDependencies: run.excludeTaskDependencies,
        configuration: o.configuration,
        overrides: run.releaseOptions ? overrides : {},
        env: ctx.env,
        onOutput: o.json ? undefined : (s) => process.stderr.write(s),
      });
      Object.assign(result, { exitCode: r.exitCode, wallMs: result.wallMs + r.wallMs, tasks: [...result.tasks, ...r.tasks] });
      // A failed preparation (the bundle, the graph check) leaves nothing to publish with.
      if (r.exitCode !== 0) break;
    }
    const commits = pinnedCommits(await readComponents(root, graph));
    const publish = result.tasks.find((t) => t.task === `${RELEASE_SET}:release`);
    const ok = result.exitCode === 0 && publish?.status === 'built';
    const summary = releaseSummaryLine(tag, result.tasks);
    if (o.json) {
      const report: ReleaseRunReport = { kind: o.kind, tag, dryRun: o.dryRun, publishOnly: o.publishOnly, ok, published: summary.published, moves: moved.moves, wallMs: result.wallMs, tasks: result.tasks };
      ctx.out(JSON.stringify(report, null, 2));
      // A script reading the report still leaves the outcome in its log.
      if (!ok) ctx.err(summary.line);
    }
    else {
      ctx.out('');
      ctx.out(formatTaskTable(result.tasks, commits));
      ctx.out(summary.line);
    }
    return ok ? 0 : 1;
  } finally {
    if (o.dryRun && (await restoreHead(root, startHead))) ctx.err(`dry run: undid the local pin commit (HEAD back at ${startHead.slice(0, 7)})`);
  }
}

/**
 * A release packages versions.toml's set at its pins: a develop set left by the last nightly could
 * name a release commit on one of those pins, and the package task would take it. It goes, in a
 * commit of its own (the next nightly with --develop cuts a new one).
 */
async function dropDevelopSet(root: string, dryRun: boolean, push: ReleaseOptions['push'], ctx: CommandContext): Promise<void> {
  const where = developSetPath(root);
  if (!existsSync(where)) return;
  if (dryRun) {
    ctx.err(`dry run: would remove ${DEVELOP_SET_FILE} (the last nightly's develop set) in a commit`);
    return;
  }
  await rm(where);
  // Never committed (a `version --develop` nobody committed): removing it is all there is to do.
  if (!(await git(['ls-files', '--error-unmatch', '--', DEVELOP_SET_FILE], { cwd: root })).ok) return;
  const commit = await commitFiles({ workspaceRoot: root, files: [DEVELOP_SET_FILE], message: `release: drop the nightly's develop set (${DEVELOP_SET_FILE})`, push, log: ctx.err });
  if (commit) ctx.err(`removed ${DEVELOP_SET_FILE}, the last nightly's develop set (${commit.slice(0, 7)})`);
}
