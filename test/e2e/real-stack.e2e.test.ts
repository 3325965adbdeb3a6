import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildRecord, formatPin, parsePin, readComponentGraph, withDependents } from '@bllvm/manifest';
import { type Pipeline, ORCHESTRATOR_REPOSITORY, createSandboxWorkspace, startPipeline, type SandboxWorkspace } from '@bllvm/demo';
import { type PodmanService, startPodmanService } from '@bllvm/podman';
import { type RealRepository, addCommit, addRepository, profileFacts } from '@bllvm/sandbox';

// The stack as it really is (REAL-STACK.md): ten blvm-* repositories renamed in their history,
// wired with version ranges and [patch.crates-io], the governance app's crate in blvm-commons.
// Adopted with import, its graph derived by nx sync, built, tested, verified and published.
const [OWNER, REPO] = ORCHESTRATOR_REPOSITORY.split('/') as [string, string];
const FACTS = profileFacts('real');
const IDS = FACTS.map((f) => f.component);

/** REAL-STACK.md §2 as the sandbox's manifests have it: build edges (optional ones only when on by default). */
const BUILD_EDGES: Record<string, string[]> = {
  'blvm-primitives': [],
  'blvm-spec-lock': [],
  'blvm-secp256k1': [],
  'blvm-muhash': [],
  'bllvm-consensus': ['blvm-primitives', 'blvm-spec-lock'],
  'bllvm-protocol': ['bllvm-consensus', 'blvm-secp256k1'],
  'bllvm-node': ['bllvm-consensus', 'bllvm-protocol', 'blvm-muhash', 'blvm-secp256k1'],
  bllvm: ['bllvm-node'],
  'bllvm-sdk': ['bllvm-node'],
  'governance-app': ['bllvm-protocol', 'bllvm-sdk'],
};

async function project(ws: string, id: string): Promise<{ implicitDependencies: string[]; targets: Record<string, { inputs?: unknown[] }> }> {
  return JSON.parse(await readFile(join(ws, 'apps', id, 'project.json'), 'utf8'));
}

async function editPin(ws: string, id: string, edit: (pin: ReturnType<typeof parsePin>) => ReturnType<typeof parsePin>): Promise<void> {
  const file = join(ws, 'apps', id, 'pin.toml');
  await writeFile(file, formatPin(edit(parsePin(await readFile(file, 'utf8'), file))));
}

/** Pin each renamed component to its last commit before the rename: the old repository name (which redirects), crate and folder. */
async function pinBeforeRename(sw: SandboxWorkspace<RealRepository>): Promise<void> {
  for (const f of FACTS.filter((x) => x.formerNames.length)) {
    await editPin(sw.ws.dir, f.component, (pin) => ({
      repository: `BTCDecoded/${f.formerNames[0]}`,
      branch: pin.branch,
      commit: sw.org.history[f.repository as RealRepository].beforeRename!,
      crate: f.crateNames.beforeRename,
      ...(f.crateDirs.beforeRename !== '.' ? { crateDir: f.crateDirs.beforeRename } : {}),
    }));
  }
}

describe('the real-shaped stack, end to end', () => {
  let p: Pipeline<RealRepository>;

  beforeAll(async () => {
    p = await startPipeline({ profile: 'real', tag: false });
  }, 900_000);
  afterAll(async () => {
    if (p) expect(p.api.validationErrors()).toEqual([]);
    await p?.stop();
  });

  it('import pinned all ten at their heads, in folders named after the repositories, and nx sync derived the real graph', async () => {
    const graph = await readComponentGraph(p.sw.ws.dir);
    expect(graph.components.slice().sort()).toEqual(IDS.slice().sort());
    for (const f of FACTS) {
      const pin = parsePin(await readFile(join(p.sw.ws.dir, 'apps', f.component, 'pin.toml'), 'utf8'), f.component);
      expect(pin, f.component).toMatchObject({ repository: `BTCDecoded/${f.repository}`, commit: p.sw.org.heads[f.repository as RealRepository], crate: f.repository });
      expect((await project(p.sw.ws.dir, f.component)).implicitDependencies, f.component).toEqual(BUILD_EDGES[f.component]);
    }
    // The dev-only edge (consensus tests with muhash) is an input of consensus' test target only.
    expect(JSON.stringify((await project(p.sw.ws.dir, 'bllvm-consensus')).targets.test?.inputs)).toContain('blvm-muhash');
    const synced = await p.sw.ws.nx('sync:check');
    expect(synced.exitCode, synced.stdout + synced.stderr).toBe(0);
    const check = await p.sw.ws.cli('check', '--offline');
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  });

  it('publishes a nightly of all ten: binaries under their new names, the app image from blvm-commons', async () => {
    const r = await p.sw.ws.cli('nightly', '-c', 'sandbox', '--json');
    expect(r.exitCode, r.stderr.slice(-4000)).toBe(0);
    const release = p.api.state.releases(OWNER, REPO).at(-1)!;
    expect(release.prerelease).toBe(true);
    const names = release.assets.map((a) => a.name).join('\n');
    for (const id of IDS) expect(names, id).toContain(`${id}-nightly-`);
    for (const [id, file] of [['bllvm', 'blvm'], ['governance-app', 'blvm-commons'], ['bllvm-sdk', 'blvm-keygen']] as const) {
      const record = JSON.parse(await readFile(join(p.sw.ws.dir, 'dist', id, 'build', 'build.json'), 'utf8')) as BuildRecord;
      expect(record.artifacts.map((a) => a.name), id).toContain(file);
    }
    expect(names).toMatch(/governance-app-.*\.oci\.tar/);
    const version = await execa(join(p.sw.ws.dir, 'dist', 'bllvm', 'build', 'blvm'), ['--version']);
    expect(version.stdout).toContain('blvm');
    const verify = JSON.parse(await readFile(join(p.sw.ws.dir, 'dist', 'bllvm-consensus', 'verify', 'verify.json'), 'utf8')) as { commit: string };
    expect(verify.commit).toBe(p.sw.org.heads['blvm-consensus']);
    const dispatch = p.api.state.dispatches().at(-1);
    expect(dispatch).toMatchObject({ owner: 'BTCDecoded', repo: 'blvm-commons' });
  }, 1_200_000);

  it('nx affected is exact after moving each of the ten pins: the component and its transitive dependents', async () => {
    const graph = await readComponentGraph(p.sw.ws.dir);
    await p.sw.ws.git('tag', '-f', 'affected-base');
    for (const [i, id] of IDS.entries()) {
      await p.sw.ws.git('reset', '-q', '--hard', 'affected-base');
      await editPin(p.sw.ws.dir, id, (pin) => ({ ...pin, commit: (i + 1).toString(16).padStart(40, 'c') }));
      await p.sw.ws.git('commit', '-qam', `move ${id}`);
      const r = await p.sw.ws.nx('show', 'projects', '--affected', '--base=affected-base', '--json');
      expect(r.exitCode, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as string[]).sort(), id).toEqual([...withDependents(graph, [id]), 'release-set'].sort());
    }
    await p.sw.ws.git('reset', '-q', '--hard', 'affected-base');
  }, 600_000);
});

describe('configuration only: a rename, an eleventh repository, the app crate moving to the root', () => {
  let sw: SandboxWorkspace<RealRepository>;
  let podman: PodmanService;
  const run = async (...args: string[]) => {
    const r = await sw.ws.nx(...args);
    expect(r.exitCode, `nx ${args.join(' ')}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`).toBe(0);
    return r;
  };
  const built = async (id: string) => (JSON.parse(await readFile(join(sw.ws.dir, 'dist', id, 'build', 'build.json'), 'utf8')) as BuildRecord).commit;

  beforeAll(async () => {
    sw = await createSandboxWorkspace({ profile: 'real' });
    podman = await startPodmanService(join(sw.ws.dir, '..', 'podman'));
    sw.ws.env.DOCKER_HOST = podman.dockerHost;
  }, 900_000);
  afterAll(async () => {
    await podman?.stop();
    await sw?.remove();
  });

  it('builds the six from before the rename, then moves their pins across it: new repository, crate and sibling folders', async () => {
    // Before: the bllvm-* repositories (reached by their old names), crates named bllvm-*, the app's crate in a subfolder.
    await pinBeforeRename(sw);
    await run('sync');
    expect((await project(sw.ws.dir, 'bllvm-node')).implicitDependencies, 'the seed-era edges only').toEqual(['bllvm-consensus', 'bllvm-protocol']);
    // The app's image takes the binaries of the current crate (blvm-commons); before the rename its cargo build is checked.
    await run('run-many', '-t', 'build', '--projects=bllvm-consensus,bllvm-protocol,bllvm-node,bllvm,bllvm-sdk', '--outputStyle=static');
    await run('run', 'governance-app:compile', '--outputStyle=static');
    expect(await built('governance-app')).toBe(sw.org.history['blvm-commons'].beforeRename);
    expect(await built('bllvm-node')).toBe(sw.org.history['blvm-node'].beforeRename);

    // Across: one pin edit each (repository, crate, commit; the old name kept), the app still in a subfolder.
    for (const f of FACTS.filter((x) => x.formerNames.length)) {
      await editPin(sw.ws.dir, f.component, (pin) => ({
        repository: `BTCDecoded/${f.repository}`,
        branch: pin.branch,
        commit: sw.org.history[f.repository as RealRepository].afterRename!,
        crate: f.crateNames.afterRename,
        formerNames: [...f.formerNames],
        ...(f.crateDirs.afterRename !== '.' ? { crateDir: f.crateDirs.afterRename } : {}),
      }));
    }
    await run('sync');
    expect((await project(sw.ws.dir, 'bllvm-node')).implicitDependencies).toEqual(BUILD_EDGES['bllvm-node']);
    await run('run-many', '-t', 'build', '--outputStyle=static');
    expect(await built('governance-app')).toBe(sw.org.history['blvm-commons'].afterRename);
    expect(await built('bllvm-node')).toBe(sw.org.history['blvm-node'].afterRename);
  }, 1_200_000);

  it('moves the app from its subfolder crate to the root by its pin alone', async () => {
    await editPin(sw.ws.dir, 'governance-app', (pin) => {
      const { crateDir: _, ...rest } = pin;
      return { ...rest, commit: sw.org.history['blvm-commons'].root! };
    });
    await run('sync:check');
    await run('run-many', '-t', 'build', '--projects=governance-app', '--outputStyle=static');
    expect(await built('governance-app')).toBe(sw.org.history['blvm-commons'].root);
  }, 600_000);

  it('adds an eleventh repository with the same import command, its edges derived, and affected follows them', async () => {
    await sw.ws.git('add', '-A');
    await sw.ws.git('commit', '-qm', 'across the rename');
    await sw.ws.git('tag', '-f', 'before-mempool');
    const org = await addRepository(sw.org, 'blvm-mempool');
    const r = await sw.ws.cli('import', 'BTCDecoded/blvm-mempool');
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^add\s+blvm-mempool\s+BTCDecoded\/blvm-mempool@[0-9a-f]{7} .* version 0\.1\.0$/m);
    expect((await project(sw.ws.dir, 'blvm-mempool')).implicitDependencies).toEqual(['bllvm-protocol']);
    // Its versions.toml entry, as the component generator writes one: the crate's version, requires from the derived graph.
    expect(await readFile(join(sw.ws.dir, 'versions.toml'), 'utf8')).toContain(
      'blvm-mempool = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "", requires = ["bllvm-protocol=0.1.0"] }',
    );
    const check = await sw.ws.cli('check');
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('ok: 11 components');
    await run('run-many', '-t', 'build', '--projects=blvm-mempool', '--outputStyle=static');
    expect(await built('blvm-mempool')).toBe(org.heads['blvm-mempool']);
    await sw.ws.git('add', '-A');
    await sw.ws.git('commit', '-qm', 'import blvm-mempool');
    await sw.ws.git('tag', '-f', 'with-mempool');
    await addCommit(org, 'blvm-protocol');
    // --from an older file (absolute path) whose key names protocol by its old repository: refused, both shown, nothing written.
    const older = join(sw.ws.dir, '..', 'older-versions.toml');
    await writeFile(older, '[versions]\nbllvm-protocol = { version = "0.1.0", git_tag = "v0.1.0" }\nblvm-mempool = { version = "0.1.0", git_tag = "v0.1.0", requires = ["bllvm-protocol=0.1.0"] }\n');
    const refused = await sw.ws.cli('import', '--from', older, '--owner', 'BTCDecoded');
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(
      `${older}: "bllvm-protocol" is BTCDecoded/bllvm-protocol, but component bllvm-protocol follows BTCDecoded/blvm-protocol; ` +
        'name the one it should follow: BTCDecoded/blvm-protocol=bllvm-protocol (keep it) or BTCDecoded/bllvm-protocol=bllvm-protocol (re-point it)',
    );
    expect(await sw.ws.git('status', '--porcelain')).toBe('');
    // The explicit mapping settles it: the key is replaced by it, the file's other names are imported as usual.
    const moved = await sw.ws.cli('import', '--from', older, '--owner', 'BTCDecoded', 'BTCDecoded/blvm-protocol=bllvm-protocol');
    expect(moved.exitCode, moved.stdout + moved.stderr).toBe(0);
    expect(moved.stdout).toMatch(/^unchanged blvm-mempool /m);
    expect(moved.stdout).toMatch(/^move\s+bllvm-protocol\s+[0-9a-f]{7} -> BTCDecoded\/blvm-protocol@/m);
    await sw.ws.git('commit', '-qam', 'move protocol');
    const affected = await sw.ws.nx('show', 'projects', '--affected', '--base=with-mempool', '--json');
    expect((JSON.parse(affected.stdout) as string[]).sort()).toEqual(['bllvm', 'bllvm-node', 'bllvm-protocol', 'bllvm-sdk', 'blvm-mempool', 'governance-app', 'release-set']);
  }, 600_000);

  it('the nightly pin job, still pinned to the old names: follows the rename through the redirects in one commit that passes sync:check, or refuses with the import that works', async () => {
    // Independent of the tests above: the adopted org, with the six moved back before the rename (old names, old crates).
    await sw.ws.git('reset', '-q', '--hard', 'last-release');
    const renamed = FACTS.filter((x) => x.formerNames.length);
    await pinBeforeRename(sw);
    await run('sync');
    await sw.ws.git('commit', '-qam', 'pinned before the rename');
    const before = await sw.ws.git('rev-parse', 'HEAD');
    const schedule = join(sw.ws.dir, '..', 'schedule.json');
    await writeFile(schedule, '{"schedule":"0 2 * * *"}');

    // Follows: each pin takes the repository the old name redirects to, the crate named after it, its folder.
    const followed = await sw.ws.cli('handle-event', '--event-file', schedule);
    expect(followed.exitCode, followed.stdout + followed.stderr).toBe(0);
    expect(followed.stdout).toMatch(/^moved bllvm-node: [0-9a-f]{40} -> [0-9a-f]{40} \(now BTCDecoded\/blvm-node, crate blvm-node\)$/m);
    for (const f of renamed) {
      const pin = parsePin(await readFile(join(sw.ws.dir, 'apps', f.component, 'pin.toml'), 'utf8'), f.component);
      // The branch head as it is now (tests above add commits, which org.heads does not follow).
      const head = (await execa('git', ['rev-parse', 'refs/heads/main'], { cwd: sw.org.repoPath(f.repository as RealRepository) })).stdout;
      expect(pin, f.component).toMatchObject({ repository: `BTCDecoded/${f.repository}`, crate: f.repository, commit: head });
      expect(pin.crateDir, f.component).toBeUndefined();
      // import's rule: the old name is kept unless it is the component's own id (which reaches it anyway).
      expect(pin.formerNames ?? [], f.component).toEqual(f.formerNames[0] === f.component ? [] : [f.formerNames[0]]);
    }
    // One commit holds the pins and the graph their manifests give.
    expect(await sw.ws.git('status', '--porcelain')).toBe('');
    expect(await sw.ws.git('show', '--name-only', '--format=', 'HEAD')).toContain('apps/bllvm-node/project.json');
    expect((await project(sw.ws.dir, 'bllvm-node')).implicitDependencies).toEqual(BUILD_EDGES['bllvm-node']);
    await run('sync:check');

    // Refuses: blvm-node's head keeps a crate of the old name beside the renamed one, so which is ours is a guess.
    await sw.ws.git('reset', '-q', '--hard', before);
    await addCommit(sw.org, 'blvm-node', {
      files: { 'bllvm-node/Cargo.toml': '[package]\nname = "bllvm-node"\nversion = "0.1.0"\nedition = "2021"\n', 'bllvm-node/src/lib.rs': '' },
      message: 'Keep a bllvm-node compatibility crate',
    });
    const refused = await sw.ws.cli('handle-event', '--event-file', schedule);
    expect(refused.exitCode, refused.stdout + refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/2 packages could continue bllvm-node \(in the root\): blvm-node in the root, bllvm-node in bllvm-node\/; no pin was moved\./);
    const command = /Adopt them together with: npm run cli -- (import [^\n]+)$/m.exec(refused.stderr)?.[1];
    expect(command).toBe(`import ${renamed.map((f) => `BTCDecoded/${f.repository}=${f.component}`).join(' ')}`);
    expect(await sw.ws.git('rev-parse', 'HEAD')).toBe(before);
    expect(await sw.ws.git('status', '--porcelain')).toBe('');
    // A legacy build_<x> from an old sender is refused the same way: its pin cannot cross alone.
    const legacy = join(sw.ws.dir, '..', 'build-consensus.json');
    await writeFile(legacy, JSON.stringify({ action: 'build_consensus', client_payload: { triggered_by: 'bllvm-consensus', source_ref: 'refs/heads/main', source_sha: sw.org.heads['blvm-consensus'] } }));
    const event = await sw.ws.cli('handle-event', '--event-file', legacy, '--event-name', 'repository_dispatch');
    expect(event.exitCode, event.stdout + event.stderr).toBe(1);
    expect(event.stderr).toContain(`event rejected: bllvm-consensus: BTCDecoded/bllvm-consensus is now BTCDecoded/blvm-consensus (the old name redirects), and bllvm-protocol`);
    expect(event.stderr).toContain(`npm run cli -- ${command}`);
    expect(await sw.ws.git('rev-parse', 'HEAD')).toBe(before);

    // The printed command works: import adopts all six at their heads, and the graph derives.
    const imported = await sw.ws.cli(...command!.split(' '));
    expect(imported.exitCode, imported.stdout + imported.stderr).toBe(0);
    expect(parsePin(await readFile(join(sw.ws.dir, 'apps', 'bllvm-node', 'pin.toml'), 'utf8'), 'bllvm-node')).toMatchObject({ repository: 'BTCDecoded/blvm-node', crate: 'blvm-node' });
    await run('sync:check');
  }, 600_000);
});
