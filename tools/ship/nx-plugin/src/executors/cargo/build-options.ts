import { type MetadataPackage, ownPackage } from '@bllvm/manifest';
import { readCrateFacts } from '../../lib/crate-facts';
import type { ComponentContext } from '../../lib/component';
import type { TaskLayout } from './sandbox';

export interface BuildOptionsToCheck {
  features?: readonly string[];
  /** Binaries the options name (the docker image's `binaries`). */
  binaries?: readonly string[];
}

/**
 * Build options a pinned crate cannot honour, named before cargo runs (cargo fails late and
 * obscurely, and a feature list right for one commit can be wrong for the next). A feature is
 * valid when the package defines it (metadata lists the implicit features of optional
 * dependencies), `default`, or `dep/feature` forwarding to one of its dependencies; a binary when
 * the package has a `bin` target of that name. Pure.
 */
export function buildOptionProblems(pkg: MetadataPackage, options: BuildOptionsToCheck, where: { component: string; commit: string }): string[] {
  const at = `${where.component}@${where.commit.slice(0, 7)}`;
  const defined = Object.keys(pkg.features).sort();
  const depKeys = new Set(pkg.dependencies.map((d) => d.rename ?? d.name));
  const bins = pkg.targets.filter((t) => t.kind.includes('bin')).map((t) => t.name).sort();
  const problems: string[] = [];
  // cargo also accepts "a,b" and "a b" in one --features value
  for (const feature of (options.features ?? []).flatMap((f) => f.split(/[\s,]+/)).filter(Boolean)) {
    const slash = feature.indexOf('/');
    if (slash >= 0) {
      const dep = feature.slice(0, slash);
      if (!depKeys.has(dep)) problems.push(`${at}: feature "${feature}" forwards to "${dep}", which is not a dependency of ${pkg.name} at this commit (its dependencies: ${[...depKeys].sort().join(', ') || 'none'})`);
    } else if (feature !== 'default' && !Object.hasOwn(pkg.features, feature))
      problems.push(`${at}: feature "${feature}" is not defined by ${pkg.name} at this commit; it defines: ${defined.join(', ') || 'no features'}`);
  }
  for (const bin of options.binaries ?? [])
    if (!bins.includes(bin)) problems.push(`${at}: binary "${bin}" is not a bin target of ${pkg.name} at this commit; its binaries: ${bins.join(', ') || 'none'}`);
  return problems;
}

/**
 * The effect: the crate's package from the facts cache (shared with the graph sync), or from one
 * `cargo metadata --no-deps` run in the sandbox over the task's checkouts, also with no option to
 * check: the docker executor reads the crate's binaries from the same cache. Returns the problems
 * (empty when the options fit), the time cargo took (0 on a cache hit), and the package, whose
 * declared targets name what a build ships.
 */
export async function checkBuildOptions(
  ctx: ComponentContext,
  layout: Pick<TaskLayout, 'checkouts' | 'crateDirs'>,
  options: BuildOptionsToCheck,
): Promise<{ problems: string[]; ms: number; cached: boolean; pkg?: MetadataPackage }> {
  const checkouts = Object.entries(layout.checkouts).map(([id, dir]) => ({ dir, crateDir: layout.crateDirs?.[id] ?? '.' }));
  const self = { dir: layout.checkouts[ctx.component]!, crateDir: ctx.self.crate.dir };
  const key = { repository: ctx.self.repository, commit: ctx.pin.commit, crateDir: ctx.self.crate.dir };
  const r = await readCrateFacts(ctx.sources.workDir, key, { ...self, checkouts });
  const at = `${ctx.component}@${ctx.pin.commit.slice(0, 7)}`;
  if (!r.ok) return { problems: [`${at}: cargo cannot read the manifest to check the build options: ${r.stderr.split('\n').slice(-3).join(' ')}`], ms: r.ms, cached: false };
  const pkg = ownPackage({ id: ctx.component, repository: ctx.self.repository, checkoutFolder: ctx.self.checkoutFolder, crate: ctx.self.crate, commit: ctx.pin.commit, facts: r.facts });
  if (!pkg) return { problems: [`${at}: no package in the crate folder "${ctx.self.crate.dir}" of ${ctx.self.repository}`], ms: r.ms, cached: r.cached };
  return { problems: buildOptionProblems(pkg, options, { component: ctx.component, commit: ctx.pin.commit }), ms: r.ms, cached: r.cached, pkg };
}
