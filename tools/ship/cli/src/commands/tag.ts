import { DEVELOP_SET_FILE } from '@bllvm/crates';
import { type Command, UsageError } from '../command';
import { runTag } from '../tag/run-tag';

export const tagCommand: Command = {
  name: 'tag',
  exclusive: true,
  summary: 'make each component\'s release commit (its pin plus the version edits), tag it v<version> and record the tags in versions.toml (or, with --develop, in the develop set)',
  usage: [
    'tag [--dry-run] [--push-branch] [--json]',
    'tag --develop [--dry-run] [--json]',
    '',
    '  For each component whose versions.toml version is not the one its crate\'s Cargo.toml says at its',
    '  pin: a release commit on top of the pinned commit, "Release <crate> <version>", changing only the',
    '  Cargo.toml values `version` planned ([package] version, internal requirements that no longer admit',
    '  the new upstream versions; comments and layout kept) and, where the repository commits a Cargo.lock,',
    '  its entries of those packages\' versions (a lock that would need cargo to re-resolve is refused). Made',
    '  with git plumbing only (no checkout, no cargo, nothing of the repository run), by bllvm-release at the',
    '  pin\'s date, so a rerun makes the same commit. Tagged v<version> (annotated) and the tag pushed to the',
    '  component\'s repository (BLLVM_GIT_BASE_URL, as the mirrors are fetched). The component\'s branch is',
    '  not written unless --push-branch, which fast-forwards the branch its pin tracks to the release',
    '  commit (a branch that moved past the pin is refused); `release` refuses a tag off that branch',
    '  unless --allow-off-branch.',
    '  A tag already on a commit with exactly the release tree is done; on anything else it is refused,',
    '  naming the tag, its commit and what was expected, and nothing at all is pushed. Then versions.toml',
    '  gets git_tag = "v<version>" and git_commit = "<sha>" of each, in a commit of this repository (not',
    '  pushed), so `release` pins exactly these commits. versions.toml must be committed first. A run that',
    '  stops halfway is completed by running it again. --dry-run makes the commits in a scratch folder,',
    '  prints the table (component, crate, version, the commit it builds on, files changed, tag) and pushes',
    '  and writes nothing. --json prints the same as JSON.',
    `  --develop tags the develop set \`version --develop\` wrote (${DEVELOP_SET_FILE}; run that`,
    '  first) instead: the same release commits with each listed crate at its X.Y.Z-dev.N (requirements',
    '  on the set\'s other crates as it planned them), tagged v<X.Y.Z-dev.N>. Only the tags are pushed,',
    '  never a branch (--push-branch is refused); versions.toml is neither read nor written: each crate\'s',
    '  tag and release commit are recorded beside it in the set file, written whole.',
  ].join('\n'),
  options: {
    'dry-run': { type: 'boolean' },
    'push-branch': { type: 'boolean' },
    json: { type: 'boolean' },
    develop: { type: 'boolean' },
  },
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new UsageError(`unexpected argument "${String(positionals[0]).slice(0, 80)}"`);
    return runTag(
      { dryRun: values['dry-run'] === true, pushBranch: values['push-branch'] === true, json: values.json === true, develop: values.develop === true },
      ctx,
    );
  },
};
