import { BUILD_TARGETS, RUNNER_CLASS_NAMES, isRunnerClass, pinnedCommits, planByClass, readComponents } from '@bllvm/manifest';
import { type Command, UsageError } from '../command';
import { formatTaskTable, runTargets, taskGraph } from '../run-targets';
import { buildSelection } from '../release/selection';
import { selectComponents } from '../selection';
import { loadGraph } from '../workspace';

const TARGET = /^[a-z][a-z0-9-]*$/;

export const buildCommand: Command = {
  name: 'build',
  exclusive: true,
  summary: 'build, test, verify and package the stack (or what changed since --base) and print a summary',
  usage: [
    `build [--targets ${BUILD_TARGETS.join(',')}] [--base <ref>] [--runner-class ${RUNNER_CLASS_NAMES.join('|')}] [--configuration <name>] [--json]`,
    '',
    '  Without --base, every component; with --base, only those `nx affected` selects (every one for',
    '  --base last-release before the first release).',
    '  --runner-class runs only the tasks of that class (metadata.runnerClass), in graph order; what they',
    '  depend on of another class comes from the Nx cache (the job of that class ran before). Each task',
    '  says whether it was built or came from the local or the remote cache.',
    '  Exits 1 if any task failed; the table says which failed and which were skipped.',
  ].join('\n'),
  options: {
    targets: { type: 'string', default: BUILD_TARGETS.join(',') },
    base: { type: 'string' },
    'runner-class': { type: 'string' },
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
    const runnerClass = values['runner-class'] as string | undefined;
    if (runnerClass !== undefined && !isRunnerClass(runnerClass)) throw new UsageError(`--runner-class must be one of ${RUNNER_CLASS_NAMES.join(', ')}`);
    const graph = await loadGraph(ctx.workspaceRoot);
    const projects = await selectComponents(ctx.workspaceRoot, graph, values.base as string | undefined, targets, ctx.err);
    if (!projects.length) {
      ctx.out(`nothing changed since ${values.base}; nothing to build`);
      return 0;
    }
    const commits = pinnedCommits(await readComponents(ctx.workspaceRoot, graph));
    const onOutput = values.json ? undefined : (s: string) => process.stderr.write(s);
    const selected = buildSelection(targets, projects);
    const run = { workspaceRoot: ctx.workspaceRoot, ...selected, configuration, parallel, env: ctx.env, onOutput };
    let onlyTasks: string[] | undefined;
    if (runnerClass) {
      onlyTasks = planByClass(await taskGraph(run), selected.projects)[runnerClass].tasks;
      if (!onlyTasks.length) {
        ctx.out(`no ${runnerClass} task among ${targets.join(', ')} of ${projects.join(', ')}; nothing to do`);
        return 0;
      }
      ctx.err(`running the ${runnerClass} tasks: ${onlyTasks.join(', ')}`);
    } else ctx.err(`running ${targets.join(', ')} for ${projects.join(', ')}`);
    const result = await runTargets({ ...run, ...(onlyTasks ? { onlyTasks } : {}) });
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
