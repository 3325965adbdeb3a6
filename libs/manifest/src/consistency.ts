import type { ComponentGraph } from './graph';
import type { VersionsFile } from './versions';

/**
 * Every way versions.toml disagrees with the declared graph, one line each. The graph is the
 * source of truth; versions.toml's `requires` are a derived copy that the real org let drift.
 */
export function checkVersionsAgainstGraph(graph: ComponentGraph, versions: VersionsFile): string[] {
  const problems: string[] = [];
  const file = versions.file;
  for (const component of graph.components) {
    const entry = versions.entries[component];
    if (!entry) {
      problems.push(`${file}: component "${component}" has no [versions] entry`);
      continue;
    }
    const declared = new Set(graph.dependencies[component]);
    const required = new Set(Object.keys(entry.requires));
    for (const dep of declared)
      if (!required.has(dep)) problems.push(`${file}: versions.${component}.requires is missing "${dep}" (declared in ${graph.roots[component]}/project.json)`);
    for (const dep of required)
      if (!declared.has(dep)) problems.push(`${file}: versions.${component}.requires lists "${dep}", which ${graph.roots[component]}/project.json does not depend on`);
  }
  for (const name of Object.keys(versions.entries))
    if (!graph.components.includes(name)) problems.push(`${file}: versions.${name} is not a component of this workspace`);
  return problems;
}
