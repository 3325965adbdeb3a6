import { execa } from 'execa';
import { addCommit } from '@bllvm/sandbox';
import type { Pipeline } from './pipeline';
import { cliCommand } from './printed-commands';

/** The upstream the demo's pull requests change, and the function its downstream (bllvm-protocol) calls. */
const UPSTREAM = 'bllvm-consensus';
const USED = 'check_coinbase';

interface DemoPullRequest {
  number: number;
  title: string;
  expect: { exit: number; classification: string };
}

const PULL_REQUESTS: DemoPullRequest[] = [
  { number: 1, title: `Rename ${USED} to ${USED}_reward`, expect: { exit: 1, classification: 'breaking' } },
  { number: 2, title: 'Add block_subsidy_halvings', expect: { exit: 0, classification: 'additive' } },
];

/** A pull request in the sandbox org as GitHub keeps one: a commit on a topic branch, and refs/pull/<n>/head. */
async function openPullRequest(p: Pipeline<string>, pr: DemoPullRequest, files: Record<string, string>): Promise<string> {
  const sha = await addCommit(p.sw.org, UPSTREAM, { branch: `pr-${pr.number}`, files, message: pr.title });
  await execa('git', ['update-ref', `refs/pull/${pr.number}/head`, sha], { cwd: p.sw.org.repoPath(UPSTREAM) });
  return sha;
}

/**
 * Trials of two pull requests on the upstream component, as its repository's notify workflow would
 * ask for them: one renames a function its downstream calls, one only adds a function. Each is the
 * CLI's `trial`, printed and run as is; the check-run report is what the Trial workflow posts.
 * Returns whether both came out as they must: the first fails at the downstream, classified
 * breaking; the second passes, classified additive.
 */
export async function runTrialDemo(p: Pipeline<string>): Promise<boolean> {
  const bare = p.sw.org.repoPath(UPSTREAM);
  const lib = `${(await execa('git', ['--git-dir', bare, 'show', 'main:src/lib.rs'])).stdout}\n`;
  const changed: Record<number, string> = {
    1: lib.replaceAll(USED, `${USED}_reward`),
    2: `${lib}\n/// How many times the subsidy halves before it reaches zero.\npub fn block_subsidy_halvings() -> u32 {\n    64\n}\n`,
  };
  let ok = true;
  for (const pr of PULL_REQUESTS) {
    const sha = await openPullRequest(p, pr, { 'src/lib.rs': changed[pr.number]! });
    console.log(`\npull request #${pr.number} on ${UPSTREAM}: "${pr.title}" (${sha.slice(0, 12)})`);
    const args = ['trial', UPSTREAM, `pull/${pr.number}/head`, '--pull-request', String(pr.number), '-c', 'sandbox', '--json'];
    console.log(`running in the workspace copy: ${cliCommand(args.filter((a) => a !== '--json')).line}`);
    const r = await p.sw.ws.cli(...args);
    let outcome: { conclusion: string; api?: { classification: string; items: string[] }; tasks: { project: string; target: string; status: string; firstError?: string }[] };
    try {
      outcome = JSON.parse(r.stdout) as typeof outcome;
    } catch {
      console.error(`trial printed no outcome (exit ${r.exitCode}):\n${r.stderr.slice(-4000)}`);
      return false;
    }
    console.log(`conclusion: ${outcome.conclusion}`);
    console.log(`public API of ${UPSTREAM}: ${outcome.api?.classification ?? 'not compared'}${outcome.api?.items.length ? `: ${outcome.api.items.slice(0, 3).join('; ')}` : ''}`);
    for (const t of outcome.tasks.filter((x) => x.status === 'failed')) console.log(`failed: ${t.project}:${t.target}: ${t.firstError ?? '(no error line)'}`);
    const built = outcome.tasks.filter((t) => t.status === 'built').length;
    console.log(`${built} built, ${outcome.tasks.filter((t) => t.status === 'cache-hit').length} from the cache, ${outcome.tasks.filter((t) => t.status === 'skipped').length} skipped`);
    if (r.exitCode !== pr.expect.exit || outcome.api?.classification !== pr.expect.classification) {
      console.error(`expected exit ${pr.expect.exit} and ${pr.expect.classification}, got exit ${r.exitCode} and ${outcome.api?.classification ?? 'no comparison'}`);
      ok = false;
    }
  }
  return ok;
}
