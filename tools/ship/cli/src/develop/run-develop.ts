import { readFile, rm, writeFile } from 'node:fs/promises';
import { DEVELOP_SET_FILE, type DevelopSet, crateVersions, developSetApplies, developSetPath, readDevelopSet, writeDevelopSet } from '@bllvm/crates';
import { readStack } from '@bllvm/manifest';
import { type PushTarget, commitFiles } from '@bllvm/orchestrator';
import { type CommandContext, CommandError } from '../command';
import { runTag } from '../tag/run-tag';
import { describePlan } from '../version/describe-plan';
import { planStack } from '../version/plan-stack';

export interface DevelopRequest {
  dryRun: boolean;
  push?: PushTarget;
}

export interface DevelopOutcome {
  set: DevelopSet;
  /** Planned and tagged by this run (false: the committed set already was the one of these pins). */
  made: boolean;
  /** The commit that records the set, when this run made one. */
  commit?: string;
}

/**
 * The nightly's develop set for the pins at HEAD: planned as `version --develop` plans it, its
 * release commits made and tagged as `tag --develop` does (tags only, in the components'
 * repositories), and the set committed beside the pins (pushed with `push`), so the builds package
 * those commits and the publish job uploads them. Runs no cargo and no component code: git
 * plumbing and the registry's index. A set already tagged on these pins is kept as it is, so a
 * rerun after a failed publish resumes the same versions. A dry run plans and prints, and leaves
 * the set file, the repositories and HEAD as they were.
 */
export async function runDevelop(request: DevelopRequest, ctx: CommandContext): Promise<DevelopOutcome> {
  const where = developSetPath(ctx.workspaceRoot);
  const { components } = await readStack(ctx.workspaceRoot);
  const pins = Object.fromEntries(components.map((c) => [c.id, c.pin.commit]));
  const current = await readDevelopSet(where);
  if (developSetApplies(current, pins)) {
    ctx.err(`develop set: ${describeSet(current)} is already tagged on these pins (${DEVELOP_SET_FILE}); kept`);
    return { set: current, made: false };
  }
  const { plan, registry, manifests } = await planStack({ develop: true }, ctx);
  // Only libraries go to the registry: a binary's version is the official release's business.
  const libraries = new Set(components.filter((c) => c.kinds.includes('library')).map((c) => c.id));
  const crates = crateVersions(plan).filter((c) => libraries.has(c.component));
  if (!crates.length) throw new CommandError('develop set: no library crate to release at these pins');
  for (const line of describePlan(plan, manifests, registry)) ctx.err(line);
  const planned: DevelopSet = { schema: 1, kind: 'develop', registry, crates };
  const before = await readFile(where, 'utf8').catch(() => undefined);
  await writeDevelopSet(where, planned);
  let tagged: DevelopSet | undefined;
  try {
    // The tags, made and pushed as `tag --develop` makes them; its table goes to the log.
    const code = await runTag({ develop: true, dryRun: request.dryRun, pushBranch: false, json: false }, { ...ctx, out: ctx.err });
    if (code !== 0) throw new CommandError('develop set: its release commits could not be tagged (above); nothing committed');
    tagged = request.dryRun ? planned : await readDevelopSet(where);
  } finally {
    // A dry run, or a run that could not tag, leaves the file as it found it.
    if (request.dryRun || !tagged) {
      if (before === undefined) await rm(where, { force: true });
      else await writeFile(where, before);
    }
  }
  if (request.dryRun) {
    ctx.err(`dry run: develop set ${describeSet(planned)} planned; nothing tagged, written or committed`);
    return { set: planned, made: true };
  }
  const commit = await commitFiles({
    workspaceRoot: ctx.workspaceRoot,
    files: [DEVELOP_SET_FILE],
    message: `develop set ${describeSet(tagged!)}\n\nMade by bllvm-release: each crate's release commit on its pin, tagged v<version>; the nightly packages and uploads these.`,
    push: request.push,
    log: ctx.err,
  });
  ctx.err(`develop set: ${describeSet(tagged!)} tagged and committed${commit ? ` (${commit.slice(0, 7)})` : ''}`);
  return { set: tagged!, made: true, ...(commit ? { commit } : {}) };
}

/** "blvm-consensus 0.1.4-dev.2, …", bounded: a subject line, not the whole set. Pure. */
export function describeSet(set: Pick<DevelopSet, 'crates'>): string {
  const all = set.crates.map((c) => `${c.crate} ${c.version}`);
  return all.length > 4 ? `${all.slice(0, 3).join(', ')} and ${all.length - 3} more` : all.join(', ');
}
