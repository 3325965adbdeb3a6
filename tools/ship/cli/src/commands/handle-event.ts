import { EventError, type EventAction, dispatchTypesHelp, parseEvent } from '@bllvm/events';
import { readStack } from '@bllvm/manifest';
import { RepoError, applyEvent } from '@bllvm/orchestrator';
import { type Command, CommandError, UsageError } from '../command';
import { readEventFile } from '../event-file';
import { adoptAsImport } from '../release/adopt';
import { syncGraph } from '../release/derive-graph';

export const handleEventCommand: Command = {
  name: 'handle-event',
  exclusive: true,
  summary: 'validate a GitHub event and move the pin it names (commit, and push with --push)',
  usage: [
    'handle-event --event-file <path> [--event-name <name>] [--push] [--dry-run] [--remote origin] [--branch main]',
    '',
    '  In Actions: --event-file "$GITHUB_EVENT_PATH" (the event name comes from GITHUB_EVENT_NAME).',
    `  Accepts repository_dispatch (${dispatchTypesHelp()}),`,
    '  workflow_dispatch and schedule. A component may be named by its id, its repository (with or without',
    '  owner), its crate or a former name (with a warning). A rejected event changes nothing.',
    '  --dry-run validates the event and says which pin would move, and writes nothing.',
    '  Moved pins are committed with the graph `nx sync` derives from their manifests, or not at all. A pin',
    '  whose repository was renamed (the old name redirects) follows its crate when exactly one package',
    '  continues it; otherwise the event is rejected with the `import` command that adopts the renamed ones.',
  ].join('\n'),
  options: {
    'event-file': { type: 'string' },
    'event-name': { type: 'string' },
    push: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    remote: { type: 'string', default: 'origin' },
    branch: { type: 'string', default: 'main' },
  },
  async run({ values }, ctx) {
    const file = values['event-file'] as string | undefined;
    if (!file) throw new UsageError('--event-file is required');
    const raw = await readEventFile(file);
    const { graph, components } = await readStack(ctx.workspaceRoot);
    let action: EventAction;
    try {
      action = parseEvent((values['event-name'] as string | undefined) ?? ctx.env.GITHUB_EVENT_NAME, raw, components);
    } catch (e) {
      if (e instanceof EventError) throw new CommandError(`event rejected: ${e.message}`);
      throw e;
    }
    if ('warnings' in action) for (const w of action.warnings ?? []) ctx.err(`warning: ${w}`);
    ctx.out(`event: ${action.source} -> ${describeAction(action)}`);
    if (action.kind === 'none') {
      ctx.out(`nothing to do: ${action.reason}`);
      return 0;
    }
    const result = await applyEvent(action, {
      workspaceRoot: ctx.workspaceRoot,
      graph,
      sources: ctx.config,
      push: values.push ? { remote: values.remote as string, branch: values.branch as string } : undefined,
      dryRun: !!values['dry-run'],
      log: ctx.err,
      // A pin that follows its crate across a rename gets what `import` would write; moved pins are
      // committed with the graph their manifests give, as `nx sync:check` requires.
      adopt: adoptAsImport(components),
      deriveGraph: syncGraph(ctx.workspaceRoot, ctx.config, ctx.env, ctx.err),
    }).catch((e: Error) => {
      throw e instanceof CommandError || e instanceof RepoError ? new CommandError(`event rejected: ${e.message}`) : e;
    });
    if (!result.moves.length) ctx.out('pins already up to date; nothing to do');
    for (const m of result.moves)
      ctx.out(`${values['dry-run'] ? 'would move' : 'moved'} ${m.component}: ${m.from} -> ${m.to}${m.adopted ? ` (now ${m.adopted.repository}, crate ${m.adopted.crate ?? '?'})` : ''}`);
    if (result.commit) ctx.out(`commit ${result.commit}`);
    return 0;
  },
};

function describeAction(action: EventAction): string {
  switch (action.kind) {
    case 'move-pin':
      return `move ${action.component} to ${action.sha}`;
    case 'move-to-head':
      return `move ${action.component} to the head of its branch${action.version ? ` (sender's version ${action.version})` : ''}; rebuilds ${action.scope.join(', ')}`;
    default:
      return action.kind;
  }
}
