import { invoked } from '../commands';
import { finding, type Rule } from '../rule';
import { runScriptsOf } from '../run-script';

/**
 * `cargo publish --allow-dirty` uploads the working tree, not a commit: with a version bump that
 * was never committed (or pushed), the tag and the published crate hold different sources, and
 * nobody can rebuild what crates.io serves from the repository.
 */
export const publishAllowDirty: Rule = {
  id: 'publish-allow-dirty',
  why: 'a crate published from a dirty tree matches no commit, so its tag does not say what was published',
  check(wf) {
    const findings = [];
    for (const script of runScriptsOf(wf)) {
      for (const cmd of script.parsed?.commands ?? []) {
        const inv = invoked(cmd);
        if (inv?.name !== 'cargo' || !['publish', 'package'].includes(inv.args.find((a) => !a.startsWith('-') && !a.startsWith('+')) ?? '')) continue;
        const flag = cmd.words.find((w) => w.text === '--allow-dirty');
        if (!flag) continue;
        findings.push(
          finding(
            wf,
            this.id,
            script.positionAt(flag.start),
            `job "${script.job.id}" runs "cargo ${inv.args.find((a) => !a.startsWith('-') && !a.startsWith('+'))} --allow-dirty": what it uploads is the working tree, which no commit holds`,
            'commit the version bump first (and push it with the tag), then publish without --allow-dirty from that commit',
          ),
        );
      }
    }
    return findings;
  },
};
