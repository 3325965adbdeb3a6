import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type MadeTag, type ReleaseRequest, planReleaseCommits, recordReleaseTags } from '@bllvm/crates';
import { type Component, VERSIONS_FILE, parseVersions, readStack } from '@bllvm/manifest';
import type { SourcesConfig } from '@bllvm/sources';
import { type CommandContext, CommandError } from '../command';
import { decideBranch, decideTag } from './decide';
import { type TagRow, describeTags } from './describe-tags';
import { readPinnedSources } from './pinned-sources';
import { ScratchObjects } from './release-objects';
import { branchFacts, pushObject, tagFacts } from './remote-release';
import { assertVersionsCommitted, commitVersionsFile } from './versions-commit';

/** What `tag` is asked to do, from its flags. */
export interface TagRequest {
  dryRun: boolean;
  /** Also fast-forward each component's branch (the one its pin tracks) to its release commit. */
  pushBranch: boolean;
  json: boolean;
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
 * `tag`: the release commits of versions.toml's versions on top of the pins, tagged v<version>
 * in their repositories, and the tags recorded in versions.toml. Everything is decided before
 * anything is pushed (a refusal anywhere pushes nothing), and every step is found done on a rerun.
 */
export async function runTag(request: TagRequest, ctx: CommandContext): Promise<number> {
  const root = ctx.workspaceRoot;
  const stack = await readStack(root);
  const versionsFile = join(root, VERSIONS_FILE);
  if (!request.dryRun) await assertVersionsCommitted(root);
  const versionsText = await readFile(versionsFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new CommandError(`cannot read ${versionsFile}: ${e.code ?? e.message}`);
  });
  const versions = parseVersions(versionsText, versionsFile, { components: stack.components });
  for (const w of versions.warnings) ctx.err(`warning: ${w}`);
  const requests: ReleaseRequest[] = stack.graph.components.map((id) => {
    const entry = versions.entries[id];
    if (!entry) throw new CommandError(`${VERSIONS_FILE} has no entry for ${id}`);
    return { component: id, version: entry.version };
  });

  ctx.err(`tag: reading ${stack.components.length} crates at their pins (fetching their repositories)`);
  const { steps, refusals, unchanged } = await prepare(ctx.config, stack.components, requests, request.pushBranch);
  try {
    const rows = steps.map((s) => s.row);
    const made: MadeTag[] = rows.map((r) => ({ component: r.component, tag: r.tag, commit: r.commit }));
    const file = refusals.length ? undefined : recordReleaseTags(versionsText, versionsFile, made, { components: stack.components });
    let versionsCommit: string | undefined;
    if (!request.dryRun && !refusals.length) {
      await publish(ctx, steps);
      if (file && file.text !== versionsText) {
        versionsCommit = await commitVersionsFile(root, versionsText, file.text, versionsMessage(made, file.changed));
      }
    }
    if (request.json)
      ctx.out(JSON.stringify({ dryRun: request.dryRun, components: rows, unchanged, refusals, versionsFile: { file: VERSIONS_FILE, changed: file?.changed ?? [], commit: versionsCommit } }, null, 2));
    else {
      for (const line of describeTags(rows, refusals, unchanged, { pushed: !request.dryRun && !refusals.length, branch: request.pushBranch })) ctx.out(line);
      ctx.out('');
      if (refusals.length) ctx.out(`${refusals.length} refused; nothing was pushed or written`);
      else if (request.dryRun) ctx.out(`dry run: nothing pushed or written (${VERSIONS_FILE} would change ${file!.changed.length} entr${file!.changed.length === 1 ? 'y' : 'ies'})`);
      else {
        for (const c of file!.changed) ctx.out(`${VERSIONS_FILE}: ${c}`);
        ctx.out(versionsCommit ? `${VERSIONS_FILE} committed: ${versionsCommit}; \`release\` pins these commits` : `${VERSIONS_FILE} already records these tags`);
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

function versionsMessage(made: readonly MadeTag[], changed: readonly string[]): string {
  const subject = `record the release tags in ${VERSIONS_FILE}: ${made.map((m) => `${m.component} ${m.tag}`).join(', ')}`;
  return `${subject}\n\nMade by bllvm-release tag: each tag is a release commit on its component's pin.\n${changed.join('\n')}`;
}
