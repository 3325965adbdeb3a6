import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BUILD_TARGETS, type ChangedInput, type ComponentGraph, type Input, PIN_FILE, type PinChange, type PlannedComponent, RUNNER_CLASS_NAMES,
  changedInputs, classOutputs, explainAffected, parsePin, planByClass, testDependents, unexplained,
} from '@bllvm/manifest';
import { type Command, UsageError } from '../command';
import { LAST_RELEASE, NO_RELEASE_YET, changedFilesSince, resolveBase, showFile } from '@bllvm/orchestrator';
import { affectedProjects, projectInputs } from '../nx';
import { taskGraph } from '../run-targets';
import { loadGraph } from '../workspace';

export const planCommand: Command = {
  name: 'plan',
  summary: 'show which components `nx affected` would build since a ref, and why, and the tasks of each runner class',
  usage: [
    'plan --base <ref> [--configuration <name>] [--json | --outputs]',
    '',
    `  e.g. plan --base ${LAST_RELEASE}; before the first release (no ${LAST_RELEASE} tag) every component builds.`,
    '  --json adds `classes`: per runner class its labels and the affected build/test/verify/package tasks in',
    '  graph order (an idle class with none); the workflows run one job per class that has tasks.',
    '  --outputs prints only `<class>=true|false` per class, for $GITHUB_OUTPUT.',
  ].join('\n'),
  options: { base: { type: 'string' }, configuration: { type: 'string', short: 'c' }, json: { type: 'boolean' }, outputs: { type: 'boolean' } },
  async run({ values }, ctx) {
    const base = values.base as string | undefined;
    if (!base) throw new UsageError('--base <ref> is required');
    if (values.json && values.outputs) throw new UsageError('--json and --outputs print different things; pass one');
    const baseSha = await resolveBase(ctx.workspaceRoot, base);
    const graph = await loadGraph(ctx.workspaceRoot);
    let affected: string[];
    let plan: PlannedComponent[];
    if (baseSha === undefined) {
      // Nothing released yet: everything is new. Said once, on stderr, so --json and --outputs stay what they are.
      ctx.err(NO_RELEASE_YET);
      affected = graph.components;
      plan = graph.components.map((component) => ({ component, build: true, reason: `new: no ${LAST_RELEASE} yet` }));
    } else {
      let changed: string[];
      [affected, changed] = await Promise.all([affectedProjects(ctx.workspaceRoot, baseSha), changedFilesSince(ctx.workspaceRoot, baseSha)]);
      plan = await explain(ctx.workspaceRoot, ctx.env, graph, base, baseSha, new Set(affected), changed);
    }
    // Tests re-run for a moved dev upstream too (a test input, not an edge Nx's affected follows).
    const selected = new Set(affected);
    for (const c of testDependents(graph.testUpstreams ?? {}, selected)) selected.add(c);
    const projects = graph.components.filter((c) => selected.has(c));
    const configuration = values.configuration as string | undefined;
    const tasks = projects.length
      ? await taskGraph({ workspaceRoot: ctx.workspaceRoot, targets: [...BUILD_TARGETS], projects, configuration, env: ctx.env, onOutput: (s) => process.stderr.write(s) })
      : [];
    const classes = planByClass(tasks, projects);
    if (values.outputs) {
      for (const line of classOutputs(classes)) ctx.out(line);
      return 0;
    }
    if (values.json) {
      ctx.out(JSON.stringify({ base, baseCommit: baseSha ?? null, components: plan, classes }, null, 2));
      return 0;
    }
    const width = Math.max(...plan.map((p) => p.component.length), 'component'.length);
    ctx.out(baseSha === undefined ? `plan since ${base} (none yet):` : `plan since ${base} (${baseSha.slice(0, 7)}):`);
    ctx.out(`${'component'.padEnd(width)}  build  reason`);
    for (const p of plan) ctx.out(`${p.component.padEnd(width)}  ${(p.build ? 'yes' : 'no').padEnd(5)}  ${p.reason}`);
    const n = plan.filter((p) => p.build).length;
    ctx.out(n ? `${n} of ${plan.length} components to build` : 'nothing to build');
    for (const c of RUNNER_CLASS_NAMES) {
      const t = classes[c].tasks;
      ctx.out(`${c} [${classes[c].labels.join(', ')}]: ${t.length ? `${t.length} task(s): ${t.join(', ')}` : 'nothing to do'}`);
    }
    return 0;
  },
};

/** Why each affected component is in the plan: its pin or files, an affected upstream, or the changed inputs of its targets. */
async function explain(
  root: string,
  env: NodeJS.ProcessEnv,
  graph: ComponentGraph,
  base: string,
  baseSha: string,
  affected: ReadonlySet<string>,
  changed: string[],
): Promise<PlannedComponent[]> {
  const pinChanges: Record<string, PinChange> = {};
  for (const component of graph.components) {
    const rel = `${graph.roots[component]}/${PIN_FILE}`;
    if (!changed.includes(rel)) continue;
    const before = await showFile(root, baseSha, rel);
    const after = await readFile(join(root, rel), 'utf8').catch(() => undefined);
    pinChanges[component] = {
      from: before ? parsePin(before, `${base}:${rel}`).commit : undefined,
      to: after ? parsePin(after, rel).commit : undefined,
    };
  }
  // Only when a component is affected for no reason the files and the graph give (an Nx start-up).
  const unknown = unexplained(graph, affected, changed, pinChanges);
  const inputs: Record<string, ChangedInput[]> = {};
  if (unknown.length) {
    const [projects, nxJson] = await Promise.all([projectInputs(root, env), readFile(join(root, 'nx.json'), 'utf8')]);
    const named = (JSON.parse(nxJson) as { namedInputs?: Record<string, Input[]> }).namedInputs ?? {};
    for (const c of unknown) if (projects[c]) inputs[c] = changedInputs(projects[c].root, projects[c].targets, named, changed);
  }
  return explainAffected(graph, affected, changed, pinChanges, inputs);
}
