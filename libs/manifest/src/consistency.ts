import { type ComponentGraph, upstreamOf } from './graph';
import type { VersionsFile } from './versions';

/**
 * Every way versions.toml disagrees with the declared graph, one line each. The graph is the
 * source of truth; versions.toml's `requires` are a derived copy that the real org let drift.
 * `requires` means what the real files mean: every direct dependency must be listed (a missing
 * one is drift), a transitive upstream may be listed too (the real files pin the whole chain),
 * and anything that is not an upstream at all is an error. Read the file with the stack's
 * components (parseVersions' `components`) so that its names are the components' ids.
 */
export function checkVersionsAgainstGraph(graph: ComponentGraph, versions: VersionsFile): string[] {
  const problems: string[] = [];
  const file = versions.file;
  const at = (name: string) => {
    const loc = versions.locations?.[name];
    return { where: `${file}${loc?.line !== undefined ? `:${loc.line}` : ''}`, written: loc?.written ?? name };
  };
  for (const component of graph.components) {
    const entry = versions.entries[component];
    if (!entry) {
      problems.push(`${file}: component "${component}" has no [versions] entry`);
      continue;
    }
    const { where, written } = at(component);
    const as = written === component ? '' : ` (component ${component})`;
    const project = `${graph.roots[component]}/project.json`;
    const required = new Set(Object.keys(entry.requires));
    const upstream = new Set(upstreamOf(graph, component));
    for (const dep of graph.dependencies[component] ?? [])
      if (!required.has(dep)) problems.push(`${where}: versions.${written}.requires${as} is missing "${dep}", a direct dependency (declared in ${project})`);
    for (const dep of required)
      if (!upstream.has(dep)) problems.push(`${where}: versions.${written}.requires${as} lists "${dep}", which is not an upstream of ${component} (${project} does not depend on it, directly or not)`);
  }
  for (const name of Object.keys(versions.entries))
    if (!graph.components.includes(name)) problems.push(`${at(name).where}: versions.${at(name).written} is not a component of this workspace`);
  return problems;
}
