import { type DevelopTag, type ReleaseRequest, planReleaseCommits } from '@bllvm/crates';
import { type Component, readStack } from '@bllvm/manifest';
import type { SourcesConfig } from '@bllvm/sources';
import { type CommandContext, UsageError } from '../command';
import { decideBranch, decideTag } from './decide';
import { type TagRow, describeTags } from './describe-tags';
import { readPinnedSources } from './pinned-sources';
import { type Recorded, developRecord, versionsRecord } from './records';
import { ScratchObjects } from './release-objects';
import { branchFacts, pushObject, tagFacts } from './remote-release';

/** What `tag` is asked to do, from its flags. */
export interface TagRequest {
  dryRun: boolean;
  /** Also fast-forward each component's branch (the one its pin tracks) to its release commit. */
  pushBranch: boolean;
  json: boolean;
  /** Tag the develop set `version --develop` wrote instead of versions.toml's versions, and record the tags in that set. */
  develop?: boolean;
}

/** One release commit, with what it must do on the remote. */
interface Step {
  row: TagRow;
  component: Component;
  objects: ScratchObjects;
  tagObject: string;
  pushTag: boolean;
  pushBranch: boolean;
}

/**
 * `tag`: the release commits of a set of versions (versions.toml's, or with --develop the develop
 * set's) on top of the pins, tagged v<version> in their repositories, and the tags recorded where
 * the versions came from. Everything is decided before anything is pushed (a refusal anywhere
 * pushes nothing and records nothing), and every step is found done on a rerun.
 */
export async function runTag(request: TagRequest, ctx: CommandContext): Promise<number> {
  // The develop set is a pre-release: its commits are tagged, never put on a branch people build from.
  if (request.develop && request.pushBranch) throw new UsageError('--push-branch does not go with --develop: the develop set\'s release commits are only tagged');
  const stack = await readStack(ctx.workspaceRoot);
  const record = request.develop ? await developRecord(ctx, stack) : await versionsRecord(ctx, stack, { dryRun: request.dryRun });

  ctx.err(`tag: reading ${stack.components.length} crates at their pins (fetching their repositories)`);
  const { steps, refusals, unchanged } = await prepare(ctx.config, stack.components, record.requests, request.pushBranch);
  try {
    const rows = steps.map((s) => s.row);
    const made: DevelopTag[] = rows.map((r) => ({ component: r.component, crate: r.crate, version: r.version, tag: r.tag, commit: r.commit, base: r.base }));
    // Checked before anything is pushed: a record that cannot take the tags refuses the whole run.
    const changed = refusals.length ? [] : record.changes(made);
    let recorded: Recorded | undefined;
    if (!request.dryRun && !refusals.length) {
      await publish(ctx, steps);
      recorded = await record.write(made, changed);
    }
    if (request.json)
      ctx.out(JSON.stringify({ dryRun: request.dryRun, components: rows, unchanged, refusals, [record.key]: { file: record.file, changed, ...(recorded?.fields ?? record.idle) } }, null, 2));
    else {
      for (const line of describeTags(rows, refusals, unchanged, { pushed: !request.dryRun && !refusals.length, branch: request.pushBranch })) ctx.out(line);
      ctx.out('');
      if (refusals.length) ctx.out(`${refusals.length} refused; nothing was pushed or written`);
      else if (request.dryRun) ctx.out(`dry run: nothing pushed or written (${record.file} would change ${changed.length} entr${changed.length === 1 ? 'y' : 'ies'})`);
      else {
        for (const c of changed) ctx.out(`${record.file}: ${c}`);
        ctx.out(recorded!.line);
      }
    }
    // On stderr too, so a job's log names them whatever the output format.
    for (const r of refusals) ctx.err(`refused: ${r}`);
    return refusals.length ? 1 : 0;
  } finally {
    for (const s of steps) await s.objects.remove();
  }
}

/** Read every pin, make every release commit (in scratch objects) and decide what each needs on its remote. Pushes nothing. */
async function prepare(cfg: SourcesConfig, components: readonly Component[], requests: ReleaseRequest[], pushBranch: boolean) {
  const sources = await readPinnedSources(cfg, components);
  const plan = planReleaseCommits(requests, Object.values(sources));
  const byId = new Map(components.map((c) => [c.id, c]));
  const steps: Step[] = [];
  const refusals: string[] = [];
  const scratch: ScratchObjects[] = [];
  try {
    for (const p of plan.commits) {
      const component = byId.get(p.component)!;
      const objects = await ScratchObjects.over(sources[p.component]!.mirror);
      scratch.push(objects);
      const made = await objects.releaseCommit(component.pin.commit, p.files, p.message, p.tag);
      const tag = decideTag(p.tag, component.repository, { ...made, parent: component.pin.commit }, await tagFacts(objects, p.tag));
      if (tag.action === 'refuse') refusals.push(`${p.component}: ${tag.reason}`);
      const commit = tag.action === 'done' ? tag.commit : made.commit;
      let branchState: TagRow['branchState'];
      let branchPush = false;
      if (pushBranch) {
        const branch = decideBranch(component.pin.branch, component.repository, { commit, parent: component.pin.commit }, await branchFacts(objects, component.pin.branch, commit));
        if (branch.action === 'refuse') refusals.push(`${p.component}: ${branch.reason}`);
        branchState = branch.action === 'refuse' ? 'refused' : branch.action === 'done' ? 'existing' : 'new';
        branchPush = branch.action === 'push';
      }
      const row: TagRow = {
        component: p.component,
        crate: p.crate,
        from: p.from,
        version: p.version,
        tag: p.tag,
        base: component.pin.commit,
        commit,
        files: p.files.map((f) => ({ path: f.path, changed: f.changed })),
        leftAlone: p.leftAlone,
        tagState: tag.action === 'refuse' ? 'refused' : tag.action === 'done' ? 'existing' : 'new',
        ...(branchState ? { branchState } : {}),
      };
      steps.push({ row, component, objects, tagObject: made.tag, pushTag: tag.action === 'push', pushBranch: branchPush });
    }
  } catch (e) {
    for (const o of scratch) await o.remove();
    throw e;
  }
  return { steps, refusals, unchanged: plan.unchanged };
}

/** Push what each step needs, in graph order: the tag, then (with --push-branch) the branch. A failure stops here; the rerun finds the rest done. */
async function publish(ctx: CommandContext, steps: readonly Step[]): Promise<void> {
  for (const s of steps) {
    const { repository, pin } = s.component;
    if (s.pushTag) {
      await pushObject(ctx.config, repository, s.objects, s.tagObject, `refs/tags/${s.row.tag}`);
      ctx.err(`${s.row.component}: pushed tag ${s.row.tag} (${s.row.commit.slice(0, 7)}) to ${repository}`);
    } else ctx.err(`${s.row.component}: tag ${s.row.tag} already on ${s.row.commit.slice(0, 7)} in ${repository}`);
    if (s.pushBranch) {
      await pushObject(ctx.config, repository, s.objects, s.row.commit, `refs/heads/${pin.branch}`);
      ctx.err(`${s.row.component}: pushed ${s.row.commit.slice(0, 7)} to ${repository} branch ${pin.branch}`);
    }
  }
}
