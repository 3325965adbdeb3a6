import { parseArgs } from 'node:util';
import { cutOfficialRelease } from './official-release';
import { checkAsOperator } from './operator-check';
import { ORCHESTRATOR_REPOSITORY, startPipeline } from './pipeline';
import { cliCommand } from './printed-commands';
import { STACK_PROFILES, isStackProfile } from './profile';
import { runTrialDemo } from './trial-demo';

const USAGE = `usage: npm run demo [-- --stack seed|real] [-- --keep] [-- --trial] [-- --help]

The main job on the built-in default, offline: creates a sandbox org of bare git repos holding tiny
real Rust crates, adopts it in a copy of this workspace (the CLI's import, nx sync), starts
podman's Docker API and a local GitHub API on 127.0.0.1, and runs the nightly: refresh pins, build,
test and verify the whole stack, package the libraries' crates in the build sandbox (checked, not
uploaded: the registry gets versions.toml's set from a release), publish the prerelease (signed,
with provenance and SBOMs, by keys made for the sandbox) and signal the deployment; then cut the official release:
the next version of every crate (version), tagged release commits (tag --push-branch), and release,
which uploads the crates to the workspace's cargo registry in chain order. Each release is
verified as a node operator would, the official one with its crates downloaded from the registry.

  --stack  seed: the six bllvm-* repositories of November 2025 (default);
           real: the org as it is now, ten blvm-* repositories, renamed in their history, wired with
           version ranges and [patch.crates-io], the app's crate in blvm-commons
  --keep   keep the sandbox folder (org, workspace copy, dist/, the registry's index and crates) to look around afterwards
  --trial  instead: trials of two pull requests on bllvm-consensus (seed stack), one renaming a function
           bllvm-protocol calls, one only adding one; prints each conclusion, the API gate's
           classification and, for the breaking one, the downstream that failed and its first error`;

async function main(): Promise<number> {
  let values: { keep?: boolean; help?: boolean; stack?: string; trial?: boolean };
  try {
    ({ values } = parseArgs({ options: { keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, stack: { type: 'string', default: 'seed' }, trial: { type: 'boolean' } } }));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const stack = values.stack!;
  if (!isStackProfile(stack)) {
    console.error(`--stack must be one of ${STACK_PROFILES.join(', ')}, got ${JSON.stringify(stack).slice(0, 40)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.trial && stack !== 'seed') {
    console.error(`--trial runs on the seed stack (its pull requests change bllvm-consensus)\n\n${USAGE}`);
    return 2;
  }
  const started = Date.now();
  console.log(`creating the ${stack} sandbox org and adopting it in a workspace copy (import, nx sync)…`);
  const p = await startPipeline({ tag: false, keep: values.keep, profile: stack });
  try {
    console.log(`  org:        ${p.sw.org.root}`);
    console.log(`  workspace:  ${p.sw.ws.dir}`);
    console.log(`  GitHub API: ${p.api.url} (local)`);
    console.log(`  Docker API: ${p.podman.dockerHost} (podman)\n`);
    if (values.trial) {
      const ok = await runTrialDemo(p);
      console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)}s`);
      return ok ? 0 : 1;
    }
    console.log(`running in the workspace copy, pointed at the sandbox: ${cliCommand(['nightly', '-c', 'sandbox']).line}\n`);
    const r = await p.sw.ws.cli('nightly', '-c', 'sandbox');
    process.stderr.write(r.stderr.split('\n').filter((l) => /^(✔|✖|nightly|pins|uploaded|staged|last-release|deleted|crate |crates: )/.test(l)).join('\n') + '\n\n');
    console.log(r.stdout.trim());
    if (r.exitCode !== 0) {
      console.error(`\nthe nightly failed (exit ${r.exitCode}); full output:\n${r.stderr.slice(-8000)}`);
      return 1;
    }
    const [owner, repo] = ORCHESTRATOR_REPOSITORY.split('/') as [string, string];
    const nightly = p.api.state.releases(owner, repo).at(-1);
    if (!nightly) throw new Error('the nightly reported success but the local GitHub API has no release');
    for (const d of p.api.state.dispatches()) console.log(`dispatch ${d.eventType} -> ${d.owner}/${d.repo} ${JSON.stringify(d.clientPayload)}`);
    console.log(`\ndownloads: ${p.api.url}/${owner}/${repo}/releases/download/${nightly.tagName}/<asset>`);
    if (!(await checkAsOperator(p, nightly.tagName, false))) return 1;
    // The crates go out with the official release, from tagged trees: the registry keeps a version forever.
    console.log('\nthe official release: the next version of every crate, tagged release commits, crates uploaded in chain order');
    const official = await cutOfficialRelease(p);
    if (!official) return 1;
    if (!(await checkAsOperator(p, official, values.keep === true))) return 1;
    if (values.keep) {
      console.log(`\nkept: ${p.sw.ws.dir} (dist/release/<tag> holds each release's staged assets)`);
      console.log('to rehearse events there (docs/operations.md), in that folder:');
      console.log(`  export BLLVM_GIT_BASE_URL=${p.sw.ws.env.BLLVM_GIT_BASE_URL} BLLVM_WORK_DIR=${p.sw.ws.env.BLLVM_WORK_DIR} CARGO_NET_OFFLINE=true`);
      console.log('  npx tsx tools/doubles/github-api/src/main.ts --port 0 --token local &   # prints its url: export GITHUB_API_URL=<url> GITHUB_TOKEN=local');
      console.log('  npx tsx tools/doubles/cargo-registry/src/main.ts --port 0 --seed &       # prints its url: export BLLVM_CARGO_REGISTRY=sparse+<url>/index/');
    }
    console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return 0;
  } finally {
    await p.stop();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e: Error) => {
    console.error(`demo: ${e.message}`);
    process.exitCode = 1;
  },
);
