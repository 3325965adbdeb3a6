import { type Tree, readJson, updateJson } from '@nx/devkit';
import { type Component, type Input, type StackEdge, TEST_INPUTS, devUpstreamsOf, withDevUpstreams } from '@bllvm/manifest';

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
    // Every component has a test target (the plugin infers it); project.json holds only what it adds.
    const own = project.targets?.test?.inputs;
    const devWant = derived.test[c.id] ?? [];
    const inputs = withDevUpstreams(own, TEST_INPUTS, devWant);
    const testChanged = JSON.stringify(inputs) !== JSON.stringify(own);
    if (testChanged) diff.push(`test inputs name dev upstreams ${list(devUpstreamsOf(own))} → ${list(devWant)}${devWant.length ? ` (${devWant.map((d) => viaOf(derived.edges, c.id, d)).join('; ')})` : ''}`);
    if (diff.length === 0) continue;
    updateJson<ProjectJson>(tree, file, (p) => {
      p.implicitDependencies = want;
      if (testChanged) setTestInputs(p, inputs);
      return p;
    });
    lines.push(...diff.map((d) => `${file}: ${d}`));
  }
  return lines;
}

/** The test target's own inputs in a project.json, dropping the target (and targets) it leaves empty. */
function setTestInputs(p: ProjectJson, inputs: Input[] | undefined): void {
  const targets = (p.targets ??= {});
  const test = (targets.test ??= {});
  if (inputs === undefined) delete test.inputs;
  else test.inputs = inputs;
  if (Object.keys(test).length === 0) delete targets.test;
  if (Object.keys(targets).length === 0) delete p.targets;
}
