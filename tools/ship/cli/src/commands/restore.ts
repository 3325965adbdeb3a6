import { type Command, CommandError, UsageError } from '../command';
import { releaseRuns } from '../release/selection';
import { missingFromCache, restoreSummary } from '../restore-report';
import { restoreFromCache } from '../run-targets';
import { loadGraph } from '../workspace';

const NAME = /^[a-z][a-z0-9-]*$/;

export const restoreCommand: Command = {
  name: 'restore',
  exclusive: true,
  summary: 'fill dist/ with the outputs of every task the release depends on, from the Nx cache, building nothing',
  usage: [
    'restore [--configuration <name>] [--json]',
    '',
    '  For the publish job, before `prerelease --publish-only`: computes the release\'s task graph and',
    '  hashes with Nx\'s own machinery, looks each build/test/verify task up in the Nx cache (local, or',
    '  the remote one of NX_SELF_HOSTED_REMOTE_CACHE_SERVER) and copies its outputs into the workspace.',
    '  No executor runs: no cargo, no docker. If any task is not in the cache it fails, naming the task',
    '  and the runner class whose job makes it, and copies nothing from the local cache.',
    '  --configuration must be the one the class jobs built with (it is part of each task\'s hash).',
  ].join('\n'),
  options: { configuration: { type: 'string', short: 'c' }, json: { type: 'boolean' } },
  async run({ values }, ctx) {
    const configuration = values.configuration as string | undefined;
    if (configuration !== undefined && !NAME.test(configuration)) throw new UsageError('--configuration must be a configuration name');
    const graph = await loadGraph(ctx.workspaceRoot);
    // The tasks the release's tasks depend on: the same selection as a full release.
    const [release] = releaseRuns(graph.components, false);
    const tasks = await restoreFromCache({
      workspaceRoot: ctx.workspaceRoot,
      targets: release!.targets,
      projects: release!.projects,
      configuration,
      env: ctx.env,
      onOutput: values.json ? undefined : (s) => process.stderr.write(s),
    });
    const missing = missingFromCache(tasks);
    if (values.json) ctx.out(JSON.stringify({ ok: !missing.length, tasks }, null, 2));
    if (missing.length) throw new CommandError(`the release cannot be published: ${missing.length} task(s) missing from the cache:\n${missing.join('\n')}`);
    if (!values.json) {
      for (const t of tasks) ctx.out(`${t.id.padEnd(32)} ${t.status}`);
      ctx.out(restoreSummary(tasks));
    }
    return 0;
  },
};
