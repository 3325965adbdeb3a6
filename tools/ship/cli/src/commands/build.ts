import { pinnedCommits, readComponents, testDependents } from '@bllvm/manifest';
import { type Command, UsageError } from '../command';
import { resolveRevision } from '@bllvm/orchestrator';
import { affectedProjects } from '../nx';
import { formatTaskTable, runTargets } from '../run-targets';
import { loadGraph } from '../workspace';

const TARGET = /^[a-z][a-z0-9-]*$/;

export const buildCommand: Command = {
  name: 'build',
  exclusive: true,
  summary: 'build, test and verify the stack (or what changed since --base) and print a summary',
  usage: [
    'build [--targets build,test,verify] [--base <ref>] [--configuration <name>] [--json]',
    '',
    '  Without --base, every component; with --base, only those `nx affected` selects.',
    '  Exits 1 if any task failed; the table says which failed and which were skipped.',
  ].join('\n'),
  options: {
    targets: { type: 'string', default: 'build,test,verify' },
    base: { type: 'string' },
    configuration: { type: 'string', short: 'c' },
    parallel: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values }, ctx) {
    const targets = String(values.targets).split(',').filter(Boolean);
    if (!targets.length || targets.some((t) => !TARGET.test(t))) throw new UsageError(`--targets must be a comma-separated list of target names`);
    const configuration = values.configuration as string | undefined;
    if (configuration !== undefined && !TARGET.test(configuration)) throw new UsageError('--configuration must be a configuration name');
    const parallel = values.parallel === undefined ? undefined : Number(values.parallel);
    if (parallel !== undefined && !(Number.isInteger(parallel) && parallel > 0)) throw new UsageError('--parallel must be a positive integer');
    const graph = await loadGraph(ctx.workspaceRoot);
    let projects = graph.components;
    if (values.base) {
      const base = await resolveRevision(ctx.workspaceRoot, values.base as string);
      const affected = new Set(await affectedProjects(ctx.workspaceRoot, base));
      // Nx's affected follows build edges only; tests also re-run for a moved dev upstream.
      if (targets.includes('test')) for (const c of testDependents(graph.testUpstreams ?? {}, affected)) affected.add(c);
      projects = graph.components.filter((c) => affected.has(c));
      if (!projects.length) {
        ctx.out(`nothing changed since ${values.base}; nothing to build`);
        return 0;
      }
    }
    const commits = pinnedCommits(await readComponents(ctx.workspaceRoot, graph));
    ctx.err(`running ${targets.join(', ')} for ${projects.join(', ')}`);
    const result = await runTargets({
      workspaceRoot: ctx.workspaceRoot,
      targets,
      projects,
      configuration,
      parallel,
      env: ctx.env,
      onOutput: values.json ? undefined : (s) => process.stderr.write(s),
    });
    if (values.json) ctx.out(JSON.stringify({ exitCode: result.exitCode, wallMs: result.wallMs, tasks: result.tasks }, null, 2));
    else {
      ctx.out('');
      ctx.out(formatTaskTable(result.tasks, commits));
      ctx.out(`wall time ${(result.wallMs / 1000).toFixed(1)}s`);
    }
    const failed = result.tasks.filter((t) => t.status === 'failed');
    if (failed.length || result.exitCode !== 0) {
      ctx.err(`failed: ${failed.map((t) => t.task).join(', ') || `nx exited ${result.exitCode}`}`);
      const skipped = result.tasks.filter((t) => t.status === 'skipped');
      if (skipped.length) ctx.err(`skipped (a dependency failed): ${skipped.map((t) => t.task).join(', ')}`);
      return 1;
    }
    return 0;
  },
};
