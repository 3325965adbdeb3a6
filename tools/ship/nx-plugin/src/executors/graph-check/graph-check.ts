import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type GraphComparison, type SiblingDependency, compareGraph, findComponent, readStack, siblingDependencies } from '@bllvm/manifest';
import type { OrchestratorConfig } from '@bllvm/contract';
import { prepareSources } from '@bllvm/sources';
import { parse as parseToml } from 'smol-toml';

export interface GraphCheckResult {
  comparison: GraphComparison;
  /** One line per finding, errors first. */
  lines: string[];
  ok: boolean;
}

/**
 * Compare the declared graph (implicitDependencies) with the Cargo manifests of the components
 * checked out at their pins. A manifest edge the declared graph does not cover would under-build.
 */
export async function checkGraphAgainstCargo(workspaceRoot: string, cfg: OrchestratorConfig): Promise<GraphCheckResult> {
  const { graph, components } = await readStack(workspaceRoot);
  const checkouts = await prepareSources(cfg, components.map((c) => ({ component: c.id, pin: c.pin })));
  const projectJson = (id: string) => `${findComponent(components, id).projectRoot}/project.json`;
  const texts: Record<string, string> = {};
  const crateOf: Record<string, string> = {};
  for (const component of graph.components) {
    const file = join(checkouts[component]!, 'Cargo.toml');
    texts[component] = await readFile(file, 'utf8').catch(() => {
      throw new Error(`${component}: no Cargo.toml at the root of ${checkouts[component]}`);
    });
    let name: unknown;
    try {
      name = (parseToml(texts[component]!) as { package?: { name?: unknown } }).package?.name;
    } catch (e) {
      throw new Error(`${component}: ${file}: invalid TOML: ${(e as Error).message.split('\n')[0]}`);
    }
    crateOf[component] = typeof name === 'string' ? name : component;
  }
  const componentOf = Object.fromEntries(Object.entries(crateOf).map(([c, crate]) => [crate, c]));
  const actual: Record<string, SiblingDependency[]> = {};
  for (const component of graph.components) {
    const deps = siblingDependencies(texts[component]!, `${component}/Cargo.toml`, Object.keys(componentOf));
    actual[component] = deps.map((d) => ({ ...d, crate: componentOf[d.crate]! })).filter((d) => d.crate !== component);
  }
  const comparison = compareGraph(graph.dependencies, actual);
  const lines = [
    ...comparison.missing.map((e) => `error: ${e.from} depends on ${e.to} in its Cargo.toml (${e.via}) but ${projectJson(e.from)} does not list it in implicitDependencies: a change to ${e.to} would not rebuild ${e.from}`),
    ...comparison.extra.map((e) => `warning: ${projectJson(e.from)} lists ${e.to}, but ${e.from}'s Cargo.toml does not depend on it (extra rebuilds)`),
    ...comparison.transitive.map((e) => `note: ${e.from} depends on ${e.to} directly (${e.via}); covered through the declared graph`),
  ];
  return { comparison, lines, ok: comparison.missing.length === 0 };
}
