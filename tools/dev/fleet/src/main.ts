/**
 * `npm run fleet`: the nightly workflow rehearsed on a fleet of local runners (README, "Fleet
 * rehearsal"). Offline: the sandbox org, podman, the local GitHub API and the cache server.
 */
import { runFleet } from './fleet';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log(`usage: npm run fleet [-- --lose-runner N] [--keep] [--verbose]

Runs .github/workflows/nightly.yml job by job, each job on a runner folder of its own (own clone,
HOME, work dir and Nx cache), sharing only the cache server on 127.0.0.1; then tries to poison the
cache. Prints per job the kind of runner its labels got it (a runner class, or release for the
jobs holding tokens), the tasks it built and took from the cache, and its cargo and docker
invocations (the publish job's must be 0), and the outcome of each poisoning attempt.

  --lose-runner N  lose the builds runner once N of its tasks have finished, then replace it
  --baseline       also time the same work as one job on one runner, cold (the bench's baseline)
  --keep           keep the runner folders (their job logs) after the run
  --verbose        print every line the jobs print, not only their steps`);
  process.exit(0);
}
const at = args.indexOf('--lose-runner');
const lose = at >= 0 ? Number(args[at + 1]) : undefined;
if (lose !== undefined && !(Number.isInteger(lose) && lose > 0)) {
  console.error('--lose-runner takes a number of finished tasks (a positive integer)');
  process.exit(2);
}
const verbose = args.includes('--verbose');
// A job's own output is indented under its step; without --verbose only the steps show.
const log = (line: string) => {
  if (verbose || !/^\[[\w-]+\]   /.test(line)) console.log(line);
};
const report = await runFleet({ loseBuildsRunnerAt: lose, keep: args.includes('--keep'), baseline: args.includes('--baseline'), log });
const publish = report.jobs.find((j) => j.job === 'publish');
const held = report.poisoning.every((a) => a.held);
process.exit(report.published && publish?.cargo === 0 && publish.docker === 0 && held ? 0 : 1);
