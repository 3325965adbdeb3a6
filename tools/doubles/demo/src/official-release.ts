import { ORCHESTRATOR_REPOSITORY, type Pipeline } from './pipeline';
import { cliCommand } from './printed-commands';

/**
 * The official release as a maintainer cuts it, in the workspace copy: `version` plans the next
 * version of every crate past what the registry ever had and writes versions.toml (committed, as a
 * maintainer would after reading the table); `tag --push-branch` makes each component's release
 * commit (the version edits only), tags it v<version> and moves its branch there; `release` pins
 * exactly those commits, builds, tests, verifies and packages them, uploads the crates in chain
 * order and publishes the release. Prints each step; returns the release's tag, or undefined
 * (after printing why) when a step failed.
 */
export async function cutOfficialRelease(p: Pipeline<string>): Promise<string | undefined> {
  const step = async (args: string[], show: (r: { stdout: string; stderr: string }) => string) => {
    console.log(`\nrunning in the workspace copy: ${cliCommand(args).line}`);
    const r = await p.sw.ws.cli(...args);
    const shown = show(r).trim();
    if (shown) console.log(shown);
    if (r.exitCode !== 0) console.error(`${args[0]} failed (exit ${r.exitCode}):\n${(r.stdout + r.stderr).slice(-6000)}`);
    return r.exitCode === 0 ? r : undefined;
  };
  if (!(await step(['version'], (r) => r.stdout))) return undefined;
  await p.sw.ws.git('add', 'versions.toml');
  await p.sw.ws.git('commit', '-q', '-m', 'versions.toml: the next release set');
  if (!(await step(['tag', '--push-branch'], (r) => r.stdout))) return undefined;
  const released = await step(['release', '-c', 'sandbox'], (r) => r.stderr.split('\n').filter((l) => /^(crate |✔ published|last-release)/.test(l)).join('\n'));
  if (!released) return undefined;
  const [owner, repo] = ORCHESTRATOR_REPOSITORY.split('/') as [string, string];
  const official = p.api.state.releases(owner, repo).filter((r) => !r.prerelease).at(-1);
  if (!official) throw new Error('release reported success but the local GitHub API has no official release');
  return official.tagName;
}
