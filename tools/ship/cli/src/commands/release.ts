import { type Command, UsageError } from '../command';
import { type ReleaseKind, runRelease } from '../release/run-release';

const common = {
  'dry-run': { type: 'boolean' },
  push: { type: 'boolean' },
  remote: { type: 'string', default: 'origin' },
  branch: { type: 'string', default: 'main' },
  configuration: { type: 'string', short: 'c' },
  json: { type: 'boolean' },
  'publish-only': { type: 'boolean' },
} as const;

// The same for the three verbs: the step that holds the tokens runs no component code.
const PUBLISH_ONLY_HELP = [
  '  --publish-only publishes what dist/ already holds (from `npm run cli -- build --targets build,test,verify,package`,',
  '  run before, e.g. in a job without tokens) and builds no component: no cargo, no docker build, no',
  '  build/test/verify task at all. Each missing or stale output fails its component\'s release gate,',
  '  naming the file and the command that builds it, and nothing is published.',
].join('\n');

/** What every release command's publish step does with a release already on GitHub (shared --help text). */
const PUBLISHING = [
  '',
  '  Publishing: the release stays a draft until every asset is uploaded and verified (size, sha256,',
  '  SHA256SUMS), then it is made public; a rerun finds the draft and completes it.',
  '  A release holding foreign or wrong assets fails naming every one; BLLVM_REPLACE_ASSETS=1 repairs it',
  '  (deletes the foreign assets, re-uploads the wrong ones, then verifies).',
  '  The publish has one deadline (BLLVM_PUBLISH_DEADLINE_MINUTES; default 5 minutes plus the upload time of',
  '  the staged files at 256 KiB/s): a GitHub API that stops answering ends it there, naming every step not',
  '  done; the same command resumes. The last line says "published <tag>" whenever the release went public.',
  '  A deploy signal that failed after publishing is resent alone (add --dryRun to preview):',
  '    npx nx run release-set:release --tag=<tag> --deployOnly --excludeTaskDependencies',
].join('\n');

function releaseCommand(kind: ReleaseKind, summary: string, detail: string, extra: Command['options'] = {}): Command {
  return {
    name: kind,
    exclusive: true,
    summary,
    usage: `${kind} [--dry-run] [--publish-only] [--push] [--remote origin] [--branch main] [-c <configuration>] [--json]${'force' in extra ? ' [--force]' : ''}${'develop' in extra ? ' [--develop]' : ''}${'allow-off-branch' in extra ? ' [--allow-off-branch]' : ''}\n\n${detail}\n${PUBLISH_ONLY_HELP}\n${PUBLISHING}`,
    options: { ...common, ...extra },
    async run({ values }, ctx) {
      const configuration = values.configuration as string | undefined;
      if (configuration !== undefined && !/^[a-z][a-z0-9-]*$/.test(configuration)) throw new UsageError('--configuration must be a configuration name');
      return runRelease(
        {
          kind,
          dryRun: !!values['dry-run'],
          force: !!values.force,
          allowOffBranch: !!values['allow-off-branch'],
          develop: !!values.develop,
          publishOnly: !!values['publish-only'],
          push: values.push ? { remote: values.remote as string, branch: values.branch as string } : undefined,
          configuration,
          json: !!values.json,
        },
        ctx,
      );
    },
  };
}

export const nightlyCommand = releaseCommand(
  'nightly',
  'refresh every pin to its branch head, build what changed, publish the nightly prerelease',
  [
    '  One `git ls-remote` per repository; moved pins are committed (and pushed with --push) with the graph',
    '  `nx sync` derives from their manifests. Renamed repositories: see handle-event --help.',
    '  Nothing moved since the last release: says so and publishes nothing, unless --force.',
    '  --dry-run prints the tag, components, artifacts and every GitHub write, and writes nothing.',
    '  --develop also cuts the develop set once the pins moved (see develop --help): its crates are',
    '  packaged from their tagged release commits and uploaded to the registry in chain order before the',
    '  prerelease is drafted, and the notes name them.',
  ].join('\n'),
  { force: { type: 'boolean' }, develop: { type: 'boolean' } },
);

export const prereleaseCommand = releaseCommand(
  'prerelease',
  'publish the current pins as a nightly prerelease',
  '  Builds, tests and verifies what is not cached, then publishes nightly-YYYYMMDD-<sha of HEAD>.',
);

export const releaseCommandDef = releaseCommand(
  'release',
  'pin the git_tags of versions.toml and publish them as the official release vX.Y.Z',
  [
    '  Resolves each git_tag in its repository (checked against git_commit when given), commits the pins,',
    '  builds, tests and verifies, and publishes a release that is not a prerelease.',
    '  A tag whose commit is not reachable from the branch its pin tracks is refused: the next nightly',
    '  could not move on from it. --allow-off-branch releases it anyway (that nightly then needs --force).',
  ].join('\n'),
  { 'allow-off-branch': { type: 'boolean' } },
);
