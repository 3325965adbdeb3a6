import { rename, writeFile } from 'node:fs/promises';
import { type Bump, CRATES_IO_SPARSE_INDEX, DEVELOP_SET_FILE, crateVersions, developSetPath, planVersionsFile, writeDevelopSet } from '@bllvm/crates';
import { type Component, NameError, VERSIONS_FILE, resolveComponent } from '@bllvm/manifest';
import { LAST_RELEASE } from '@bllvm/orchestrator';
import { type Command, CommandError, UsageError } from '../command';
import { describePlan } from '../version/describe-plan';
import { apiRefusals, checkApis, describeChecks } from '../version/api-check';
import { planStack } from '../version/plan-stack';

export const versionCommand: Command = {
  name: 'version',
  exclusive: true,
  summary: 'plan the next version of every component\'s crate (never one the registry ever had) and write it to versions.toml',
  usage: [
    'version [--minor <component>]... [--major <component>]... [--develop] [--check-api [--api-base <rev>]] [--dry-run] [--json]',
    '',
    '  Each component\'s next version: the highest of its versions.toml version, its crate\'s Cargo.toml',
    '  version at its pin and every version the registry ever had of the crate (yanked ones too: a',
    '  version is never published twice), bumped: patch unless --minor or --major names it (under 0.x a',
    '  minor bump is the breaking one). Prints the table (component, crate, from, to, why) and the',
    '  Cargo.toml values the release commits are to change: [package] version, and each internal',
    '  requirement that no longer admits its dependency\'s new version (kept as written where it still',
    '  does). Then writes versions.toml: version, git_tag, git_commit emptied, requires. It does NOT',
    '  touch the component repositories: their Cargo.toml edits and tagged release commits come later.',
    '  --dry-run writes nothing. --json prints the plan as JSON. The registry is BLLVM_CARGO_REGISTRY',
    `  (a sparse index), else crates.io (${CRATES_IO_SPARSE_INDEX}). A crate whose version comes from its`,
    '  workspace (version.workspace = true) cannot be planned per crate and is refused.',
    '  --develop plans the nightly\'s develop set instead: each crate at X.Y.Z-dev.N, X.Y.Z the version',
    '  above, N one past the highest X.Y.Z-dev.N the registry ever had (yanked ones too), and every',
    '  internal requirement made to admit its upstream\'s dev version. It leaves versions.toml alone (the',
    `  develop set is not the official one) and writes the set, in chain order, to ${DEVELOP_SET_FILE} (commit it`,
    '  with the pins it was planned for, as `nightly --develop` does).',
    '  --check-api: each library whose pin moved since --api-base (default last-release) has its public API',
    '  documented at both (its api target: rustdoc JSON in the build sandbox, in a scratch clone) and',
    '  compared. A planned version cargo would still take as compatible with a breaking change (a patch',
    '  under 0.x) is refused, listing the items that break, and nothing is written: bump it with --minor.',
  ].join('\n'),
  options: {
    minor: { type: 'string', multiple: true },
    major: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
    develop: { type: 'boolean' },
    'check-api': { type: 'boolean' },
    'api-base': { type: 'string' },
  },
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new UsageError(`unexpected argument "${String(positionals[0]).slice(0, 80)}"`);
    const develop = values.develop === true;
    const { stack, registry, versionsFile, versionsText, plan, manifests } = await planStack({ develop, bumps: (st) => bumpsOf(st.components, values, ctx.err) }, ctx);
    const dryRun = values['dry-run'] === true;
    if (values['check-api']) {
      if (develop) throw new UsageError('--check-api gates the official versions; the develop set is a pre-release of them');
      const base = (values['api-base'] as string | undefined) ?? LAST_RELEASE;
      const checks = await checkApis({ root: ctx.workspaceRoot, base, graph: stack.graph, config: ctx.config, env: ctx.env, log: ctx.err });
      for (const line of describeChecks(checks, base)) ctx.err(line);
      const refusals = apiRefusals(plan.components, checks);
      if (refusals.length) throw new CommandError(`${refusals.join('\n')}\nnothing written: name the component with --minor (under 0.x) or --major`);
    } else if (values['api-base'] !== undefined) throw new UsageError('--api-base goes with --check-api');
    if (develop) {
      const set = { schema: 1 as const, kind: 'develop' as const, registry, crates: crateVersions(plan) };
      const where = developSetPath(ctx.workspaceRoot);
      if (!dryRun) await writeDevelopSet(where, set);
      const shown = DEVELOP_SET_FILE;
      if (values.json) {
        ctx.out(JSON.stringify({ registry, dryRun, develop: true, components: plan.components, requirements: plan.requirements, manifests, set: set.crates, developSet: { file: shown, written: !dryRun } }, null, 2));
        return 0;
      }
      for (const line of describePlan(plan, manifests, registry)) ctx.out(line);
      ctx.out('');
      ctx.out(dryRun ? `dry run: nothing written (${shown} would list ${set.crates.length} crates)` : `${shown} written (the develop set, in chain order); ${VERSIONS_FILE} is untouched`);
      return 0;
    }
    const file = planVersionsFile(versionsText, versionsFile, plan.components, { components: stack.components });
    if (!dryRun && file.text !== versionsText) {
      const tmp = `${versionsFile}.${process.pid}.tmp`;
      await writeFile(tmp, file.text);
      await rename(tmp, versionsFile);
    }

    if (values.json) {
      ctx.out(JSON.stringify({ registry, dryRun, components: plan.components, requirements: plan.requirements, manifests, versionsFile: { file: VERSIONS_FILE, changed: file.changed, written: !dryRun && file.changed.length > 0 } }, null, 2));
      return 0;
    }
    for (const line of describePlan(plan, manifests, registry)) ctx.out(line);
    ctx.out('');
    if (dryRun) ctx.out(`dry run: nothing written (${VERSIONS_FILE} would change ${file.changed.length} entr${file.changed.length === 1 ? 'y' : 'ies'})`);
    else {
      for (const c of file.changed) ctx.out(`${VERSIONS_FILE}: ${c}`);
      ctx.out(`${VERSIONS_FILE} written; the component repositories are untouched. Review with \`git diff\`, then commit`);
    }
    return 0;
  },
};

/** --minor and --major as component ids; any name of a component is accepted (a former one with a warning). */
function bumpsOf(components: readonly Component[], values: Record<string, unknown>, warn: (line: string) => void): Record<string, Exclude<Bump, 'patch'>> {
  const bumps: Record<string, Exclude<Bump, 'patch'>> = {};
  for (const kind of ['minor', 'major'] as const) {
    for (const name of (values[kind] as string[] | undefined) ?? []) {
      let id: string;
      try {
        const resolved = resolveComponent(components, name, { exitCode: 2 });
        if (resolved.warning) warn(`warning: ${resolved.warning}`);
        id = resolved.component.id;
      } catch (e) {
        throw e instanceof NameError ? new UsageError(`--${kind}: ${e.message}`) : e;
      }
      if (bumps[id] && bumps[id] !== kind) throw new UsageError(`${id} is named by both --minor and --major; pass one`);
      bumps[id] = kind;
    }
  }
  return bumps;
}
