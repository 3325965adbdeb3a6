import { type Tree, readJson, readNxJson, updateJson } from '@nx/devkit';
import { type Component, type Input, type StackEdge, devUpstreamsOf, withDevUpstreams } from '@bllvm/manifest';

interface ProjectJson {
  implicitDependencies?: string[];
  targets?: Record<string, { inputs?: Input[] } & Record<string, unknown>>;
}

export interface DerivedEdges {
  build: Record<string, string[]>;
  test: Record<string, string[]>;
  edges: readonly StackEdge[];
}

const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : 'none');
const viaOf = (edges: readonly StackEdge[], from: string, to: string) =>
  edges.filter((e) => e.from === from && e.to === to).map((e) => e.via).join('; ');

/**
 * Make each component's project.json say what its pinned manifest says: implicitDependencies are
 * its build edges, its test target's inputs name its dev-only upstreams. Files already right are
 * not written (not even reformatted). Returns one line per difference, for `nx sync:check`.
 */
export function applyDerivedGraph(tree: Tree, components: readonly Pick<Component, 'id' | 'projectRoot'>[], derived: DerivedEdges): string[] {
  // This workspace writes targetDefaults as an object keyed by target name.
  const defaults = (readNxJson(tree)?.targetDefaults as Record<string, { inputs?: Input[] }> | undefined)?.test?.inputs ?? [];
  const lines: string[] = [];
  for (const c of components) {
    const file = `${c.projectRoot}/project.json`;
    const project = readJson<ProjectJson>(tree, file);
    const want = derived.build[c.id] ?? [];
    const have = [...(project.implicitDependencies ?? [])].sort();
    const diff: string[] = [];
    if (JSON.stringify(have) !== JSON.stringify(want)) {
      const added = want.filter((d) => !have.includes(d)).map((d) => `+${d} (${viaOf(derived.edges, c.id, d)})`);
      const removed = have.filter((d) => !want.includes(d)).map((d) => `-${d}`);
      diff.push(`implicitDependencies ${list(have)} → ${list(want)}: ${[...added, ...removed].join(', ')}`);
    }
    const test = project.targets?.test;
    const devWant = derived.test[c.id] ?? [];
    const inputs = test ? withDevUpstreams(test.inputs, defaults, devWant) : undefined;
    const testChanged = test !== undefined && JSON.stringify(inputs) !== JSON.stringify(test.inputs);
    if (testChanged) diff.push(`test inputs name dev upstreams ${list(devUpstreamsOf(test.inputs))} → ${list(devWant)}${devWant.length ? ` (${devWant.map((d) => viaOf(derived.edges, c.id, d)).join('; ')})` : ''}`);
    if (test === undefined && devWant.length) diff.push(`has no test target for its dev upstreams ${list(devWant)}`);
    if (diff.length === 0) continue;
    updateJson<ProjectJson>(tree, file, (p) => {
      p.implicitDependencies = want;
      if (testChanged && p.targets?.test) {
        if (inputs === undefined) delete p.targets.test.inputs;
        else p.targets.test.inputs = inputs;
      }
      return p;
    });
    lines.push(...diff.map((d) => `${file}: ${d}`));
  }
  return lines;
}
