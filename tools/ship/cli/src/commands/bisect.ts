import { type Command, UsageError } from '../command';
import { renderReport } from '../bisect/report';
import { runBisect } from '../bisect/run-bisect';
import { checkRunCommand } from '../bisect/run-verdict';
import { loadGraph } from '../workspace';

const TARGETS = ['build', 'test', 'verify'];

export const bisectCommand: Command = {
  name: 'bisect',
  exclusive: true,
  summary: 'find the component commit that broke a target between a good and a bad revision of this repository',
  usage: [
    "bisect --good <ref> --bad <ref> [--target test|verify|build] [--component <c>] [--run '<cmd>'] [--keep] [--json]",
    '',
    '  Phase 1 bisects this repository\'s commits between the two refs that moved pins; phase 2 bisects',
    '  the commits of the repository whose pin the first bad step moved, between its two pins (a step',
    '  that moved several pins is first split, one move at a time, upstream first). Each state is built',
    '  with the stack\'s own targets (sandboxed, through Nx with this checkout\'s cache: what a state does',
    '  not change is a cache hit) in a scratch clone; the real pins are never moved, nothing is published.',
    '  --target (default test) and --component name the task; without --component, the first component',
    '  in graph order whose target fails at the bad end. A state where the component does not build (or',
    '  an upstream fails first) is skipped, like `git bisect skip`, and the report says so.',
    '  The ends are checked first: a good end that fails, or a bad end that passes, is an error (exit 2).',
    '  Prints the first bad commit (subject, author, link), the last good one, the failing task\'s output',
    '  and the number of builds; --json prints the whole report. --keep keeps the scratch clone.',
    '',
    '  --run \'<cmd>\' (needs --component; --target then defaults to build) judges each state by a command,',
    '  as `git bisect run` does: where the target passed, `sh -c <cmd>` runs in the build sandbox of that',
    '  task (no network, no token, the environment of a cargo task), in the component\'s crate folder, with',
    '  the state\'s checkouts read-only under /src, the target\'s cargo target dir writable at /target, the',
    '  state\'s outputs read-only at /dist (e.g. /dist/build/<binary>) and the build\'s cargo configuration',
    '  (`cargo test --offline <name>` resolves as the build did). Exit 0 good, 125 skip, 1-127 bad; 128 or',
    '  more, a signal or a sandbox limit stops the bisection (exit 1). Where the target fails, the state is',
    '  skipped. The report names the command and the states it judged.',
  ].join('\n'),
  options: {
    good: { type: 'string' },
    bad: { type: 'string' },
    target: { type: 'string' },
    component: { type: 'string' },
    run: { type: 'string' },
    keep: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new UsageError(`unexpected argument "${String(positionals[0]).slice(0, 80)}"`);
    const good = values.good as string | undefined;
    const bad = values.bad as string | undefined;
    if (!good || !bad) throw new UsageError('bisect needs both --good <ref> and --bad <ref>');
    let command: string | undefined;
    if (values.run !== undefined) {
      const checked = checkRunCommand(values.run);
      if ('problem' in checked) throw new UsageError(checked.problem);
      // The command runs in one component's crate folder and sandbox: which one is the operator's to say.
      if (values.component === undefined) throw new UsageError("--run needs --component <c>: the command runs in that component's build sandbox");
      command = checked.command;
    }
    // With --run the command judges and the target is what it runs against: the build by default.
    const target = values.target === undefined ? (command === undefined ? 'test' : 'build') : String(values.target);
    if (!TARGETS.includes(target)) throw new UsageError(`--target must be one of ${TARGETS.join(', ')}`);
    const graph = await loadGraph(ctx.workspaceRoot);
    const report = await runBisect({
      workspaceRoot: ctx.workspaceRoot, graph, good, bad, target, component: values.component as string | undefined, ...(command === undefined ? {} : { command }),
      config: ctx.config, env: ctx.env, log: ctx.err, keep: !!values.keep,
    });
    if (values.json) ctx.out(JSON.stringify(report, null, 2));
    else for (const line of renderReport(report)) ctx.out(line);
    return report.culprit ? 0 : 1;
  },
};
