import { type Command, UsageError } from '../command';
import { runRebuild } from '../rebuild/run-rebuild';

export const rebuildCommand: Command = {
  name: 'rebuild',
  summary: 'rebuild a published release from its recorded pins and compare it byte for byte',
  usage: [
    'rebuild <tag> [-c <configuration>] [--repository owner/name] [--work-dir <new folder>] [--against <earlier work dir>] [--builder <name> --builder-key <file>] [--json]',
    '',
    '  Downloads the release\'s assets (release-manifest.json, SHA256SUMS and the rest) from the GitHub API',
    '  (GITHUB_API_URL, GITHUB_REPOSITORY or --repository), rebuilds every component from the pins the manifest',
    '  records, in a fresh clone of this checkout and a fresh work dir (no dist/, Nx cache or cargo target of',
    '  this checkout is used), stages the release set as the publish step would, publishing nothing, and',
    '  compares every asset. Writes <work dir>/rebuild-report.json: per asset equal/differs, and for an',
    '  archive the first file inside it that differs. Exit 0 only if every counted asset is equal.',
    '  -c names the Nx configuration the release was made with (as given to nightly/prerelease/release).',
    '',
    '  Run it from a clean checkout of the orchestrator commit the release records (the manifest\'s',
    '  orchestratorCommit; `git checkout <commit> && npm ci`), with the recorded toolchain (rustc -Vv and',
    '  cargo -V, from the manifest) and a Node.js with the recorded zlib: otherwise it refuses, saying which.',
    '  RELEASE_NOTES.md is compared but not counted (prose from the release history); every published',
    '  asset must still match the published SHA256SUMS. The work dir is kept; remove it after.',
    '',
    '  --against <work dir of an earlier rebuild of this tag>: build nothing; download the release again',
    '  and compare it with what that rebuild staged (has the release changed since I rebuilt it?).',
    '  --builder <name> --builder-key <armored OpenPGP secret key file>: sign the rebuilt SHA256SUMS as',
    '  that builder (<work dir>/SHA256SUMS.<name>.asc; passphrase from BLLVM_BUILDER_KEY_PASSPHRASE), to be',
    '  added as attestations/<tag>/SHA256SUMS.<name>.asc; it counts in `verify` when the bytes are the same.',
  ].join('\n'),
  options: { repository: { type: 'string' }, 'work-dir': { type: 'string' }, against: { type: 'string' }, builder: { type: 'string' }, 'builder-key': { type: 'string' }, configuration: { type: 'string', short: 'c' }, json: { type: 'boolean' } },
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1) throw new UsageError('rebuild takes exactly one tag, e.g. rebuild nightly-20261130-abcdef1');
    const repository = values.repository as string | undefined;
    if (repository !== undefined && !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(repository)) throw new UsageError('--repository must be owner/name');
    const configuration = values.configuration as string | undefined;
    if (configuration !== undefined && !/^[a-z][a-z0-9-]*$/.test(configuration)) throw new UsageError('--configuration must be a configuration name');
    const builder = values.builder as string | undefined;
    const keyFile = values['builder-key'] as string | undefined;
    if ((builder === undefined) !== (keyFile === undefined)) throw new UsageError('--builder and --builder-key go together: the name the signature is filed under, and the key that makes it');
    if (builder !== undefined && !/^[a-z0-9][a-z0-9-]{0,39}$/.test(builder)) throw new UsageError('--builder must be lowercase letters, digits and - (at most 40)');
    const builderKey = builder !== undefined ? { builder, keyFile: keyFile! } : undefined;
    return runRebuild({ tag: positionals[0]!, repository, workDir: values['work-dir'] as string | undefined, against: values.against as string | undefined, builderKey, configuration, json: !!values.json }, ctx);
  },
};
