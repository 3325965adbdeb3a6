import { type Command, UsageError } from '../command';
import { runYank } from '../yank/run-yank';

export const yankCommand: Command = {
  name: 'yank',
  exclusive: true,
  summary: 'withdraw a stack release: yank its crates (dependents first), mark its GitHub releases superseded, put versions.toml back',
  usage: [
    'yank <release tag> [--repository <owner/name>] [--dry-run] [--resume]',
    '',
    '  The release\'s crates are what versions.toml said at the commit it released (last-release names',
    '  it, else the tag in this repository), each library component\'s crate at its version; a crate the',
    '  release before it had at the same version is kept. They are yanked through the registry\'s web API',
    '  (BLLVM_CARGO_REGISTRY, else crates.io; token BLLVM_CARGO_REGISTRY_TOKEN) in reverse chain order, so no',
    '  crate is yanked while one depending on it is still installable; the first failure stops the run.',
    '  Then the release in --repository (or GITHUB_REPOSITORY), and each yanked crate\'s release in its',
    '  own repository where there is one, are renamed "(superseded)", noted and made pre-releases. When',
    '  last-release names this release, versions.toml is committed back to the release before it (not',
    '  pushed). Every step is journaled under the work dir (yank/<tag>.json): --resume continues a run',
    '  that stopped; a version already yanked counts as done. --dry-run reads, prints and changes nothing.',
    '  A nightly tag yanks the develop set its commit records (what `nightly --develop` uploaded), in the',
    '  same order; versions.toml is left as it is.',
  ].join('\n'),
  options: { repository: { type: 'string' }, 'dry-run': { type: 'boolean' }, resume: { type: 'boolean' } },
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1) throw new UsageError('name one release tag to yank');
    return runYank({
      root: ctx.workspaceRoot,
      tag: positionals[0]!,
      dryRun: values['dry-run'] === true,
      resume: values.resume === true,
      repository: (values.repository as string | undefined) ?? ctx.config.github.repository,
      config: ctx.config,
      registryToken: ctx.config.cargoRegistryToken,
      out: ctx.out,
      err: ctx.err,
    });
  },
};
