import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { ORCHESTRATOR_REPOSITORY, startPipeline } from './pipeline';
import { cliCommand } from './printed-commands';
import { STACK_PROFILES, isStackProfile } from './profile';
import { manifestCrates, registryLine, writeRegistryIndex } from './registry-index';
import { WORKSPACE_ROOT } from './workspace-copy';

const USAGE = `usage: npm run demo [-- --stack seed|real] [-- --keep] [-- --help]

The main job on the built-in default, offline: creates a sandbox org of bare git repos holding tiny
real Rust crates, adopts it in a copy of this workspace (the CLI's import, nx sync), starts
podman's Docker API and a local GitHub API on 127.0.0.1, packages the libraries' crates, and runs
the nightly: refresh pins, build, test and verify the whole stack, upload the crates to the
workspace's cargo registry in chain order, publish the prerelease (signed, with provenance and
SBOMs, by keys made for the sandbox) and signal the deployment; then verify it, and the crates
downloaded from the registry, as a node operator would.

  --stack  seed: the six bllvm-* repositories of November 2025 (default);
           real: the org as it is now, ten blvm-* repositories, renamed in their history, wired with
           version ranges and [patch.crates-io], the app's crate in blvm-commons
  --keep   keep the sandbox folder (org, workspace copy, dist/, the registry's index and crates) to look around afterwards`;

async function main(): Promise<number> {
  let values: { keep?: boolean; help?: boolean; stack?: string };
  try {
    ({ values } = parseArgs({ options: { keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, stack: { type: 'string', default: 'seed' } } }));
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
  const started = Date.now();
  console.log(`creating the ${stack} sandbox org and adopting it in a workspace copy (import, nx sync)…`);
  const p = await startPipeline({ tag: false, keep: values.keep, profile: stack });
  try {
    console.log(`  org:        ${p.sw.org.root}`);
    console.log(`  workspace:  ${p.sw.ws.dir}`);
    console.log(`  GitHub API: ${p.api.url} (local)`);
    console.log(`  Docker API: ${p.podman.dockerHost} (podman)\n`);
    // The libraries' crates, packaged in the build sandbox at their pins (each verified against its
    // upstreams' just-packaged crates): the release below uploads them to the workspace's registry.
    console.log('packaging the libraries\' crates in the workspace copy: npx nx run-many -t package');
    const packaged = await p.sw.ws.nx('run-many', '-t', 'package', '--outputStyle=static');
    if (packaged.exitCode !== 0) {
      console.error(`packaging failed (exit ${packaged.exitCode}):\n${(packaged.stdout + packaged.stderr).slice(-6000)}`);
      return 1;
    }
    console.log(`running in the workspace copy, pointed at the sandbox: ${cliCommand(['nightly', '-c', 'sandbox']).line}\n`);
    const r = await p.sw.ws.cli('nightly', '-c', 'sandbox');
    process.stderr.write(r.stderr.split('\n').filter((l) => /^(✔|✖|nightly|pins|uploaded|staged|last-release|deleted|crate )/.test(l)).join('\n') + '\n\n');
    console.log(r.stdout.trim());
    if (r.exitCode !== 0) {
      console.error(`\nthe nightly failed (exit ${r.exitCode}); full output:\n${r.stderr.slice(-8000)}`);
      return 1;
    }
    const [owner, repo] = ORCHESTRATOR_REPOSITORY.split('/') as [string, string];
    const release = p.api.state.releases(owner, repo).at(-1);
    if (!release) throw new Error('the nightly reported success but the local GitHub API has no release');
    console.log(`\nrelease ${release.tagName} (prerelease: ${release.prerelease}) at ${p.api.url}/${owner}/${repo}/releases/tag/${release.tagName}`);
    for (const a of release.assets) console.log(`  ${a.name.padEnd(62)} ${String(a.size).padStart(9)} bytes  sha256 ${a.sha256?.slice(0, 16)}…`);
    for (const d of p.api.state.dispatches()) console.log(`dispatch ${d.eventType} -> ${d.owner}/${d.repo} ${JSON.stringify(d.clientPayload)}`);
    console.log(`\ndownloads: ${p.api.url}/${owner}/${repo}/releases/download/${release.tagName}/<asset>`);
    // What a node operator does: download the release and check it against the keys they trust.
    const download = join(p.sw.ws.dir, '..', 'download', release.tagName);
    await mkdir(download, { recursive: true });
    for (const a of release.assets) {
      const res = await fetch(`${p.api.url}/${owner}/${repo}/releases/download/${release.tagName}/${a.name}`);
      if (!res.ok) throw new Error(`downloading ${a.name}: HTTP ${res.status}`);
      await writeFile(join(download, a.name), Buffer.from(await res.arrayBuffer()));
    }
    // The crates of the release manifest (graph order; the publish lines above are the upload order),
    // as the workspace's registry lists them; an
    // operator downloads them from the registry and checks them with the release.
    const registry = p.sw.registry;
    const keptRegistry = join(p.sw.ws.dir, '..', 'registry');
    const crates = manifestCrates(await readFile(join(download, 'release-manifest.json'), 'utf8'));
    const crateFiles: string[] = [];
    if (crates.length) {
      console.log(`\nthe release's crates as the workspace's registry ${registry.indexUrl} lists them (uploaded in the order of the crate lines above):`);
      await mkdir(join(download, '..', 'crates'), { recursive: true });
      for (const c of crates) {
        const listed = registry.state.snapshot().find((x) => x.name === c.name)?.versions.find((v) => v.vers === c.version);
        console.log(registryLine(c, listed?.cksum, values.keep ? `${join(keptRegistry, 'index')}/` : registry.indexUrl.replace(/^sparse\+/, '')));
        const res = await fetch(`${registry.url}/api/v1/crates/${c.name}/${c.version}/download`);
        if (!res.ok) throw new Error(`downloading ${c.file} from the registry: HTTP ${res.status}`);
        const file = join(download, '..', 'crates', c.file);
        await writeFile(file, Buffer.from(await res.arrayBuffer()));
        crateFiles.push(file);
      }
      if (values.keep) await writeRegistryIndex(registry.state, keptRegistry, `${registry.url}/api/v1/crates`);
    }
    // Run from this checkout exactly as printed: what an operator types after the README's set-up.
    const verify = cliCommand(['verify', download, '--keys', p.keysDir, ...crateFiles.flatMap((f) => ['--crate', f])]);
    console.log(`\nrunning: ${verify.line}   (keys made for this sandbox${values.keep ? '' : '; removed at the end unless --keep'})`);
    const v = await execa(verify.argv[0], verify.argv.slice(1), { cwd: WORKSPACE_ROOT, reject: false });
    console.log(v.stdout.trim());
    if (v.exitCode !== 0) {
      console.error(`verify failed (exit ${v.exitCode}):\n${v.stderr.slice(-3000)}`);
      return 1;
    }
    if (values.keep) {
      console.log(`\nkept: ${p.sw.ws.dir} (dist/release/${release.tagName} holds the staged assets)`);
      if (crates.length) console.log(`kept: ${keptRegistry} (the registry: index/ in cargo's index layout, crates/ the .crate files)`);
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
