import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUILD_TARGETS, PIN_FILE, type PinChange, RUNNER_CLASS_NAMES, classOutputs, explainAffected, parsePin, planByClass, testDependents } from '@bllvm/manifest';
import { type Command, UsageError } from '../command';
import { changedFilesSince, resolveRevision, showFile } from '@bllvm/orchestrator';
import { affectedProjects } from '../nx';
import { taskGraph } from '../run-targets';
import { loadGraph } from '../workspace';

export const planCommand: Command = {
  name: 'plan',
  summary: 'show which components `nx affected` would build since a ref, and why, and the tasks of each runner class',
  usage: [
    'plan --base <ref> [--configuration <name>] [--json | --outputs]',
    '',
    '  e.g. plan --base last-release',
    '  --json adds `classes`: per runner class its labels and the affected build/test/verify tasks in',
    '  graph order (an idle class with none); the workflows run one job per class that has tasks.',
    '  --outputs prints only `<class>=true|false` per class, for $GITHUB_OUTPUT.',
  ].join('\n'),
  options: { base: { type: 'string' }, configuration: { type: 'string', short: 'c' }, json: { type: 'boolean' }, outputs: { type: 'boolean' } },
  async run({ values }, ctx) {
    const base = values.base as string | undefined;
    if (!base) throw new UsageError('--base <ref> is required');
    if (values.json && values.outputs) throw new UsageError('--json and --outputs print different things; pass one');
    const baseSha = await resolveRevision(ctx.workspaceRoot, base);
    const graph = await loadGraph(ctx.workspaceRoot);
    const [affected, changed] = await Promise.all([
      affectedProjects(ctx.workspaceRoot, baseSha),
      changedFilesSince(ctx.workspaceRoot, baseSha),
    ]);
    const pinChanges: Record<string, PinChange> = {};
    for (const component of graph.components) {
      const rel = `${graph.roots[component]}/${PIN_FILE}`;
      if (!changed.includes(rel)) continue;
      const before = await showFile(ctx.workspaceRoot, baseSha, rel);
      const after = await readFile(join(ctx.workspaceRoot, rel), 'utf8').catch(() => undefined);
      pinChanges[component] = {
        from: before ? parsePin(before, `${base}:${rel}`).commit : undefined,
        to: after ? parsePin(after, rel).commit : undefined,
      };
    }
    const plan = explainAffected(graph, new Set(affected), changed, pinChanges);
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
      ctx.out(JSON.stringify({ base, baseCommit: baseSha, components: plan, classes }, null, 2));
      return 0;
    }
    const width = Math.max(...plan.map((p) => p.component.length), 'component'.length);
    ctx.out(`plan since ${base} (${baseSha.slice(0, 7)}):`);
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
