import { DEVELOP_SET_FILE } from '@bllvm/crates';
import { type Command, UsageError } from '../command';
import { runDevelop } from '../develop/run-develop';

export const developCommand: Command = {
  name: 'develop',
  exclusive: true,
  summary: 'cut the nightly\'s develop set for the pins at HEAD: plan X.Y.Z-dev.N, tag the release commits, commit the set',
  usage: [
    'develop [--dry-run] [--push] [--remote origin] [--branch main]',
    '',
    '  What `nightly --develop` does after moving the pins, and the nightly workflow\'s pin job runs: plans',
    '  the develop set as `version --develop` does (each crate at X.Y.Z-dev.N, N one past every dev.N the',
    '  registry ever had), makes and tags its release commits on the pins as `tag --develop` does (tags',
    `  only, never a branch), and commits the set (${DEVELOP_SET_FILE}) beside the pins, pushed with --push.`,
    '  The nightly\'s package tasks then package those release commits and its publish uploads them in',
    '  chain order; its notes and manifest name them. Runs no cargo and no component code.',
    '  A set already tagged on these pins is kept (a rerun resumes the same versions). --dry-run plans and',
    '  prints, and tags, writes and commits nothing.',
  ].join('\n'),
  options: {
    'dry-run': { type: 'boolean' },
    push: { type: 'boolean' },
    remote: { type: 'string', default: 'origin' },
    branch: { type: 'string', default: 'main' },
  },
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new UsageError(`unexpected argument "${String(positionals[0]).slice(0, 80)}"`);
    const r = await runDevelop({ dryRun: !!values['dry-run'], ...(values.push ? { push: { remote: values.remote as string, branch: values.branch as string } } : {}) }, ctx);
    for (const c of r.set.crates) ctx.out(`${c.crate} ${c.version}${c.commit ? ` ${c.tag} ${c.commit}` : ''}`);
    return 0;
  },
};
