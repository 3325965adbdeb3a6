import { writeFile } from 'node:fs/promises';
import { readStack, repositoryProblem } from '@bllvm/manifest';
import { type Command, type CommandContext, UsageError } from '../command';
import { openTrialCheckRun } from '../trial/check-run';
import { acceptTrialEvent } from '../trial/event';
import { githubPullRequests } from '../trial/pull-request-source';
import { reportTrial } from '../trial/report-mode';
import { TRIAL_TARGETS, runTrial } from '../trial/run-trial';
import { renderTrialTable } from '../trial/table';
import { loadGraph } from '../workspace';

const CONFIGURATION = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const NUMBER = /^[1-9][0-9]{0,8}$/;
const SHA = /^[0-9a-f]{40}$/;

export const trialCommand: Command = {
  name: 'trial',
  exclusive: true,
  summary: 'build a component at a ref (a pull request head) in place of its pin, and everything downstream at its pins',
  usage: [
    'trial <component> <ref> [--pull-request <n>] [--targets build,test,verify] [-c <configuration>] [--outcome-file <path>] [--keep] [--json]',
    'trial --event-file <path> [--event-name <name>] --check-only [--open-check-run]',
    'trial --report <outcome-file> --repository <owner/name> --sha <sha> --check-run <id> [--job-result <result>]',
    '',
    '  <ref>: a branch, pull/<n>/head or a commit of the component\'s repository, resolved in its mirror.',
    '  Builds the component at that commit and every component downstream of it at their pins, with the',
    '  nightly\'s targets, in a scratch clone of this checkout\'s HEAD (the graph derived from the head\'s',
    '  manifests, as `nx sync` does). Never moves a pin, writes versions.toml or publishes; the builds get',
    '  no credential. Nx reads a private copy of the shared cache and never writes the shared one; a remote',
    '  cache is used only with a token the server will not let write. Prints what was built with what result',
    '  and the first error of each failed task (--json: the TrialOutcome; --outcome-file: also written there).',
    '  For a library, its `api` target runs at the pin and at the head, and the two public APIs are compared:',
    '  breaking (removed, renamed or changed items) or additive; the downstream builds remain the ground truth.',
    '  Exit 0: the trial passed; 1: it failed.',
    '  --event-file: a repository_dispatch pull-request event {repository, number, sha}; its sha is checked',
    '  against the pull request through the GitHub API (GITHUB_TOKEN) before anything else. --check-only',
    '  stops there and prints component=, repository=, sha=, pull-request= and fork= lines (for',
    '  $GITHUB_OUTPUT); --open-check-run also opens the trial\'s check run on the head (check-run=<id>).',
    '  --report completes that check run from an outcome file (checked field by field).',
  ].join('\n'),
  options: {
    'pull-request': { type: 'string' },
    targets: { type: 'string', default: TRIAL_TARGETS.join(',') },
    configuration: { type: 'string', short: 'c' },
    'outcome-file': { type: 'string' },
    'event-file': { type: 'string' },
    'event-name': { type: 'string' },
    'check-only': { type: 'boolean' },
    'open-check-run': { type: 'boolean' },
    report: { type: 'string' },
    repository: { type: 'string' },
    sha: { type: 'string' },
    'check-run': { type: 'string' },
    'job-result': { type: 'string', default: 'failure' },
    keep: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, ctx) {
    if (values.report !== undefined) return report(values, positionals, ctx);
    if (values['event-file'] !== undefined) return checkEvent(values, positionals, ctx);
    for (const o of ['check-only', 'open-check-run', 'repository', 'sha', 'check-run'])
      if (values[o] !== undefined) throw new UsageError(`--${o} goes with --event-file or --report`);
    const targets = String(values.targets).split(',').map((t) => t.trim()).filter(Boolean);
    const unknown = targets.filter((t) => !(TRIAL_TARGETS as readonly string[]).includes(t));
    if (!targets.length || unknown.length) throw new UsageError(`--targets must be some of ${TRIAL_TARGETS.join(', ')}${unknown.length ? ` (not ${unknown.join(', ').slice(0, 80)})` : ''}`);
    const configuration = values.configuration as string | undefined;
    if (configuration !== undefined && !CONFIGURATION.test(configuration)) throw new UsageError('--configuration must be a configuration name');
    if (positionals.length !== 2) throw new UsageError('trial needs <component> and <ref>');
    const [component, ref] = positionals as [string, string];
    const pr = values['pull-request'] as string | undefined;
    if (pr !== undefined && !NUMBER.test(pr)) throw new UsageError('--pull-request must be a pull request number');
    const outcome = await runTrial({
      workspaceRoot: ctx.workspaceRoot, graph: await loadGraph(ctx.workspaceRoot), component, ref, ...(pr !== undefined ? { pullRequest: Number(pr) } : {}),
      targets, ...(configuration ? { configuration } : {}), config: ctx.config, env: ctx.env, log: ctx.err, keep: !!values.keep,
    });
    const file = values['outcome-file'] as string | undefined;
    if (file) await writeFile(file, `${JSON.stringify(outcome)}\n`);
    if (values.json) ctx.out(JSON.stringify(outcome, null, 2));
    else for (const line of renderTrialTable(outcome)) ctx.out(line);
    return outcome.conclusion === 'success' ? 0 : 1;
  },
};

/** The event's head checked against the pull request; with --open-check-run, the check run opened on it. */
async function checkEvent(values: Record<string, unknown>, positionals: string[], ctx: CommandContext): Promise<number> {
  if (positionals.length || values['pull-request'] !== undefined) throw new UsageError('--event-file names the component, the commit and the pull request itself');
  if (!values['check-only']) throw new UsageError('--event-file goes with --check-only: the trial itself runs in a job that holds no token (trial <component> <sha>)');
  const { components } = await readStack(ctx.workspaceRoot);
  const accepted = await acceptTrialEvent(values['event-file'] as string, (values['event-name'] as string | undefined) ?? ctx.env.GITHUB_EVENT_NAME, components, githubPullRequests(ctx.config, ctx.err));
  const lines = [`component=${accepted.component}`, `repository=${accepted.repository}`, `sha=${accepted.sha}`, `pull-request=${accepted.pullRequest}`, `fork=${accepted.fork}`];
  if (values['open-check-run']) lines.push(`check-run=${(await openTrialCheckRun(ctx.config, ctx.err, accepted)).id}`);
  for (const l of lines) ctx.out(l);
  return 0;
}

async function report(values: Record<string, unknown>, positionals: string[], ctx: CommandContext): Promise<number> {
  if (positionals.length) throw new UsageError(`unexpected argument "${String(positionals[0]).slice(0, 80)}"`);
  const repository = values.repository as string | undefined;
  const sha = values.sha as string | undefined;
  const checkRun = values['check-run'] as string | undefined;
  if (!repository || repositoryProblem(repository)) throw new UsageError('--report needs --repository <owner/name>');
  if (!sha || !SHA.test(sha)) throw new UsageError('--report needs --sha <40-hex commit>');
  if (!checkRun || !NUMBER.test(checkRun) && !/^[1-9][0-9]{0,15}$/.test(checkRun)) throw new UsageError('--report needs --check-run <id>');
  const outcome = await reportTrial({ file: values.report as string, repository, sha, checkRun: Number(checkRun), jobResult: String(values['job-result']), config: ctx.config, log: ctx.err });
  ctx.out(outcome ? `check run ${checkRun} completed: ${outcome.conclusion}` : `check run ${checkRun} completed without an outcome (${String(values['job-result']).slice(0, 40)})`);
  return 0;
}
