import { readTaskRecord } from '@bllvm/contract';
import { loadNxInternals, workspaceRequire } from './nx-internals';
import { overrideArgs, runExitCode, sortTasks, taskOutcome } from './outcomes';
import { type RunReply, type RunRequest, isRunRequest } from './protocol';
import { restoreFromCache } from './restore';
import { graphTasks, pruneTaskGraph, restoreSet } from './task-graph';

/**
 * The CLI's task runner: a child process started in the workspace (so Nx's workspace root is
 * this one), which runs the requested targets the way `nx release publish` does — the project
 * graph, the task selection with the typed overrides, runTasksForCommand — and sends the typed
 * task results back over the IPC channel. Nx prints its usual static output meanwhile.
 */
async function run(request: RunRequest): Promise<RunReply> {
  const root = process.cwd();
  const nx = loadNxInternals(workspaceRequire(root));
  const nxJson = nx.readNxJson();
  const output = 'static';
  const { nxArgs } = nx.splitArgsIntoNxArgsAndOverrides(
    {
      targets: request.targets,
      projects: request.projects,
      ...(request.configuration ? { configuration: request.configuration } : {}),
      ...(request.parallel ? { parallel: String(request.parallel) } : {}),
      outputStyle: output,
      __overrides_unparsed__: [],
    } as never,
    'run-many',
    { printWarnings: false },
    nxJson,
  );
  // Set after the split, on all three fields, as nx release publish does: Nx reads each of them.
  Object.assign(nxArgs, { outputStyle: output, specifiedOutputStyle: output, resolvedOutputStyle: output });
  const graph = await nx.createProjectGraphAsync({ exitOnError: false });
  const unknown = request.projects.filter((p) => !graph.nodes[p]);
  if (unknown.length) throw new Error(`no such project: ${unknown.join(', ')}`);
  // Nx also keeps the overrides as command-line words (it prints them with each task), as
  // createOverrides gives them to `nx release publish`.
  const overrides = { ...request.overrides, __overrides_unparsed__: overrideArgs(request.overrides) };
  // (No pre/post task-execution hooks around the run, unlike `nx release publish`: nx.json loads no plugin that has them.)
  const exclude = request.excludeTaskDependencies === true;
  const selection = nx.selectTasksForProjects(graph, request.projects, nxArgs, overrides, {}, exclude);
  if (request.mode === 'graph') return { kind: 'bllvm-graph-result', tasks: graphTasks(selection.taskGraph, graph.nodes) };
  if (request.mode === 'restore') {
    const ids = restoreSet(selection.taskGraph, request.targets);
    const classOf = (t: { target: { project: string; target: string } }) => graph.nodes[t.target.project]?.data.targets?.[t.target.target]?.metadata?.runnerClass;
    return { kind: 'bllvm-restore-result', tasks: await restoreFromCache(nx, graph, selection.taskGraph, nxJson, nxArgs, ids, classOf) };
  }
  if (request.onlyTasks) {
    // A runner class's job: its own tasks, and what they depend on (cache hits, from the jobs before it).
    Object.assign(selection, { taskGraph: pruneTaskGraph(selection.taskGraph, request.onlyTasks), initiatingTaskIds: [...request.onlyTasks] });
  }
  const { taskResults, completed } = await nx.runTasksForCommand(selection, graph, { nxJson }, nxArgs, overrides, null, {}, {
    // Nx rebuilds the task graph from this when a task's hash changes mid-run: same selection.
    excludeTaskDependencies: exclude,
    loadDotEnvFiles: process.env.NX_LOAD_DOT_ENV_FILES !== 'false',
  });
  const tasks = [];
  for (const task of Object.values(selection.taskGraph.tasks)) {
    const result = taskResults[task.id];
    const ran = result && (result.status === 'success' || result.status === 'failure');
    const t = result?.task ?? task;
    // Checked when read: a malformed record ends the run naming its file and field, rather than
    // the summary saying what the record got wrong.
    const record = ran ? await readTaskRecord(root, t.target, t.startTime ?? 0) : undefined;
    tasks.push(taskOutcome({ project: t.target.project, target: t.target.target, startTime: t.startTime, endTime: t.endTime }, result, record));
  }
  return {
    kind: 'bllvm-run-result',
    exitCode: runExitCode(Object.values(taskResults), completed),
    tasks: sortTasks(tasks, [...request.projects, ...tasks.map((t) => t.project)]),
  };
}

function reply(message: RunReply, exitCode: number): void {
  // Exit only once the reply has left and Nx's output is flushed.
  process.send!(message, () => process.stdout.write('', () => process.exit(exitCode)));
}

if (!process.send) {
  process.stderr.write('run-tasks: started without an IPC channel; the bllvm-release CLI runs this\n');
  process.exit(2);
}
process.once('message', (request: unknown) => {
  if (!isRunRequest(request)) return reply({ kind: 'bllvm-run-error', message: 'run-tasks: malformed request' }, 2);
  run(request).then(
    (r) => reply(r, r.kind === 'bllvm-run-result' ? r.exitCode : 1),
    (e: unknown) => reply({ kind: 'bllvm-run-error', message: (e as Error).message ?? String(e) }, 1),
  );
});
