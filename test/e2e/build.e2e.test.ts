import { existsSync } from 'node:fs';
import { readFile, readdir, rm, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildRecord, ImageRecord } from '@bllvm/manifest';
import { type SandboxWorkspace, type ToolShims, createSandboxWorkspace, installToolShims } from '@bllvm/demo';
import { type PodmanService, startPodmanService } from '@bllvm/podman';
import { addCommit, setFault } from '@bllvm/sandbox';

// Issue-level acceptance for building: real git repos, real cargo, the real docker CLI on podman.
let sw: SandboxWorkspace;
let podman: PodmanService;
let shims: ToolShims;

const BINARIES: Record<string, string[]> = {
  'bllvm-consensus': ['libbllvm_consensus.rlib'],
  'bllvm-protocol': ['libbllvm_protocol.rlib'],
  'bllvm-node': ['libbllvm_node.rlib'],
  bllvm: ['bllvm'],
  'bllvm-sdk': ['bllvm-aggregate-signatures', 'bllvm-compose', 'bllvm-keygen', 'bllvm-sign', 'bllvm-sign-binary', 'bllvm-verify', 'bllvm-verify-binary'],
  'governance-app': ['governance-app', 'key-manager', 'test-content-hash', 'test-content-hash-standalone'],
};

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out[p.slice(dir.length + 1)] = (await execa('sha256sum', [p])).stdout.split(' ')[0]!;
    }
  };
  await walk(dir);
  return out;
}

/** Components whose crate cargo compiled as the root package (its cwd is that component's checkout). */
async function cargoBuiltComponents(): Promise<string[]> {
  const calls = await shims.calls();
  return [...new Set(calls.filter((c) => c.tool === 'cargo' && /(^|\s)build(\s|$)/.test(c.args)).map((c) => c.cwd.split('/').pop()!))].sort();
}

beforeAll(async () => {
  sw = await createSandboxWorkspace();
  podman = await startPodmanService(join(sw.ws.dir, '..', 'podman'));
  shims = await installToolShims(join(sw.ws.dir, '..', 'shims'));
  Object.assign(sw.ws.env, { DOCKER_HOST: podman.dockerHost, PATH: `${shims.binDir}:${process.env.PATH}` });
}, 600_000);

afterAll(async () => {
  await podman?.stop();
  if (podman) expect(() => process.kill(podman.pid, 0)).toThrow();
  await sw?.remove();
});

describe('building the sandbox stack', () => {
  it('builds all six with cargo and the image with docker; dist holds the real binaries with correct digests', async () => {
    const r = await sw.ws.nx('run-many', '-t', 'build', '--outputStyle=static');
    expect(r.exitCode, r.stdout.slice(-3000) + r.stderr.slice(-3000)).toBe(0);
    for (const [component, names] of Object.entries(BINARIES)) {
      const dir = join(sw.ws.dir, 'dist', component, 'build');
      const record = JSON.parse(await readFile(join(dir, 'build.json'), 'utf8')) as BuildRecord;
      expect(record.commit).toBe(sw.org.heads[component as keyof typeof sw.org.heads]);
      expect(record.artifacts.map((a) => a.name).sort()).toEqual(names);
      expect(record.toolchain).toMatch(/^rustc \d+\.\d+\.\d+/);
      for (const a of record.artifacts) {
        const actual = (await execa('sha256sum', [join(dir, a.name)])).stdout.split(' ')[0];
        expect(actual, a.name).toBe(a.sha256);
        expect((await readFile(join(dir, `${a.name}.sha256`), 'utf8')).trim()).toBe(`${a.sha256}  ${a.name}`);
      }
    }
    const bllvm = await execa(join(sw.ws.dir, 'dist/bllvm/build/bllvm'), ['--version']);
    expect(bllvm.stdout).toContain('bllvm');
    const image = JSON.parse(await readFile(join(sw.ws.dir, 'dist/governance-app/image.json'), 'utf8')) as ImageRecord;
    expect(image.image).toBe(`ghcr.io/btcdecoded/governance-app:${sw.org.heads['governance-app']}`);
    expect(image.labels['org.opencontainers.image.revision']).toBe(sw.org.heads['governance-app']);
    const env = { ...process.env, DOCKER_HOST: podman.dockerHost };
    const inspected = await execa('docker', ['image', 'inspect', '--format', '{{.Id}} {{.Config.User}}', image.image], { env });
    expect(inspected.stdout).toBe(`${image.imageId} 65532:65532`);
    const run = await execa('docker', ['run', '--rm', '--network=none', image.image, '--version'], { env });
    expect(run.stdout).toContain('governance-app');
    expect(await cargoBuiltComponents()).toEqual(Object.keys(BINARIES).sort());
  });

  it('resolves registry dependencies from the configured registry: a committed lock as it is, a missing one generated, fetched, then built offline and locked', async () => {
    const kept = (c: string, file: string) => readFile(join(sw.ws.dir, 'dist', c, 'build', file), 'utf8');
    const lockOf = async (c: string) => (JSON.parse(await kept(c, 'build.json')) as BuildRecord).lock;
    // consensus commits a lock holding leaf 0.1.3, though its range ">=0.1, <1" would resolve 0.2.0 today.
    expect((await lockOf('bllvm-consensus'))?.origin).toBe('committed');
    expect(await kept('bllvm-consensus', 'Cargo.lock')).toContain('name = "leaf"\nversion = "0.1.3"');
    // protocol commits none: resolved against the registry (mid 0.3.1, its leaf "0.1" the newest unyanked 0.1.3; consensus' range 0.2.0).
    expect((await lockOf('bllvm-protocol'))?.origin).toBe('generated');
    const generated = await kept('bllvm-protocol', 'Cargo.lock');
    for (const p of ['name = "mid"\nversion = "0.3.1"', 'name = "leaf"\nversion = "0.1.3"', 'name = "leaf"\nversion = "0.2.0"']) expect(generated).toContain(p);
    expect(generated).not.toContain('version = "0.1.4"'); // yanked
    const steps = (await shims.calls())
      .filter((c) => c.tool === 'cargo' && c.cwd.endsWith('/bllvm-protocol'))
      .map((c) => c.args.split(/\s+/).find((a) => ['generate-lockfile', 'fetch', 'build'].includes(a)))
      .filter((a) => a !== undefined);
    // One `cargo fetch` resolves and downloads (offline first, then from the registry), then the build.
    expect([...new Set(steps)]).toEqual(['fetch', 'build']);
    expect(steps.at(-1)).toBe('build');
    const fetches = (await shims.calls()).filter((c) => c.tool === 'cargo' && c.cwd.endsWith('/bllvm-protocol') && / fetch( |$)/.test(` ${c.args}`));
    expect(fetches.length).toBeGreaterThanOrEqual(1);
    expect(fetches.length).toBeLessThanOrEqual(2);
    // Not --locked: there is no lock yet, this run writes it.
    expect(fetches.filter((c) => / --locked( |$)/.test(` ${c.args}`))).toEqual([]);
    const build = (await shims.calls()).find((c) => c.tool === 'cargo' && c.cwd.endsWith('/bllvm-protocol') && / build /.test(` ${c.args} `))!;
    expect(build.args).toContain('--locked');
    // The registry served the index and the downloads of every package the locks name.
    const downloads = new Set(sw.registry.log().filter((l) => l.operation === 'download').map((l) => l.path));
    expect(downloads.size).toBeGreaterThanOrEqual(4);
  });

  it('names a registry that cannot be reached in one line, and builds nothing', async () => {
    const saved = { BLLVM_CARGO_REGISTRY: sw.ws.env.BLLVM_CARGO_REGISTRY, BLLVM_WORK_DIR: sw.ws.env.BLLVM_WORK_DIR };
    try {
      // A fresh work dir (no registry cache) and a port nothing listens on.
      Object.assign(sw.ws.env, { BLLVM_CARGO_REGISTRY: 'sparse+http://127.0.0.1:9/index/', BLLVM_WORK_DIR: join(sw.ws.dir, '..', 'no-registry') });
      const r = await sw.ws.nx('run', 'bllvm-protocol:build', '--excludeTaskDependencies', '--skip-nx-cache', '--outputStyle=static');
      expect(r.exitCode).not.toBe(0);
      const line = `${r.stdout}\n${r.stderr}`.split('\n').find((l) => l.includes('cannot reach the cargo registry'));
      expect(line, r.stdout.slice(-3000)).toMatch(/cannot resolve the dependencies of bllvm-protocol@[0-9a-f]{7} \(cargo fetch\): cannot reach the cargo registry sparse\+http:\/\/127\.0\.0\.1:9\/index\/ \(.*\); set BLLVM_CARGO_REGISTRY/);
    } finally {
      Object.assign(sw.ws.env, saved);
      await rm(join(sw.ws.dir, '..', 'no-registry'), { recursive: true, force: true });
    }
  });

  it('runs nothing the second time, and restores dist/ identically from the cache', async () => {
    const before = await snapshot(join(sw.ws.dir, 'dist'));
    await shims.reset();
    const again = await sw.ws.nx('run-many', '-t', 'build', '--outputStyle=static');
    expect(again.exitCode).toBe(0);
    expect(await shims.calls()).toEqual([]);
    await rm(join(sw.ws.dir, 'dist'), { recursive: true });
    const restored = await sw.ws.nx('run-many', '-t', 'build', '--outputStyle=static');
    expect(restored.exitCode).toBe(0);
    // 7 build tasks and the plugin's bundle they depend on (nx-plugin:bundle), all from the cache.
    expect(restored.stdout).toMatch(/8\/8 hit|Nx read the output from the cache instead of running the command for 8 out of 8 tasks/);
    expect(await shims.calls()).toEqual([]);
    expect(await snapshot(join(sw.ws.dir, 'dist'))).toEqual(before);
  });

  it('does not rebuild anything when only the README changes', async () => {
    await writeFile(join(sw.ws.dir, 'README.md'), '# edited\n');
    await shims.reset();
    const r = await sw.ws.nx('run-many', '-t', 'build', '--outputStyle=static');
    expect(r.exitCode).toBe(0);
    expect(await shims.calls()).toEqual([]);
    await sw.ws.git('checkout', 'README.md');
  });

  it('rebuilds exactly protocol and its dependents after protocol moves', async () => {
    const sha = await addCommit(sw.org, 'bllvm-protocol', { message: 'protocol: a real change' });
    await sw.pin('bllvm-protocol', sha);
    await sw.ws.git('commit', '-qam', 'move bllvm-protocol');
    await shims.reset();
    const r = await sw.ws.nx('affected', '-t', 'build', '--base=last-release', '--outputStyle=static');
    expect(r.exitCode, r.stdout.slice(-3000)).toBe(0);
    expect(await cargoBuiltComponents()).toEqual(['bllvm', 'bllvm-node', 'bllvm-protocol', 'bllvm-sdk', 'governance-app']);
    const docker = (await shims.calls()).filter((c) => c.tool === 'docker' && c.args.startsWith('build'));
    expect(docker).toHaveLength(1);
    const node = JSON.parse(await readFile(join(sw.ws.dir, 'dist/bllvm-node/build/build.json'), 'utf8')) as BuildRecord;
    expect(node.upstream['bllvm-protocol']).toBe(sha);
  });

  it('fails node, skips its dependents, builds the rest, and says so', async () => {
    await sw.ws.git('tag', '-f', 'last-release');
    const sha = await setFault(sw.org, 'bllvm-node', 'build');
    await sw.pin('bllvm-node', sha);
    await sw.ws.git('commit', '-qam', 'move bllvm-node to a broken commit');
    const r = await sw.ws.cli('build', '--targets', 'build', '--json');
    expect(r.exitCode).toBe(1);
    const { tasks } = JSON.parse(r.stdout) as { tasks: { task: string; status: string }[] };
    const status = Object.fromEntries(tasks.map((t) => [t.task, t.status]));
    expect(status).toMatchObject({
      'bllvm-consensus:build': 'cached',
      'bllvm-protocol:build': 'cached',
      'bllvm-node:build': 'failed',
      'bllvm:build': 'skipped',
      'bllvm-sdk:build': 'skipped',
      'governance-app:compile': 'skipped',
      'governance-app:build': 'skipped',
    });
    expect(r.stderr).toMatch(/failed: bllvm-node:build/);
    expect(r.stderr).toMatch(/skipped \(a dependency failed\): .*bllvm:build/);
    const node = (JSON.parse(r.stdout) as { tasks: { task: string; message?: string }[] }).tasks.find((t) => t.task === 'bllvm-node:build')!;
    expect(node.message).toMatch(/cargo build failed for bllvm-node@[0-9a-f]{7} \(exit 101\)/);
    // The human table says the same.
    const table = await sw.ws.cli('build', '--targets', 'build');
    expect(table.exitCode).toBe(1);
    expect(table.stdout).toMatch(/bllvm-node\s+build\s+[0-9a-f]{7}\s+failed/);
    expect(table.stdout).toMatch(/bllvm-sdk\s+build\s+[0-9a-f]{7}\s+skipped/);
    expect(table.stdout).toMatch(/0 built, 2 cached, 1 failed, 4 skipped/);
    await sw.ws.git('reset', '-q', '--hard', 'last-release');
  });

  it('checks the declared graph against the Cargo manifests, naming a missing edge', async () => {
    const ok = await sw.ws.nx('run', 'release-set:graph-check');
    expect(ok.exitCode, ok.stdout).toBe(0);
    const file = join(sw.ws.dir, 'apps/bllvm-sdk/project.json');
    const original = await readFile(file, 'utf8');
    const p = JSON.parse(original) as { implicitDependencies: string[] };
    p.implicitDependencies = [];
    await writeFile(file, JSON.stringify(p));
    try {
      const bad = await sw.ws.nx('run', 'release-set:graph-check');
      expect(bad.exitCode).not.toBe(0);
      expect(bad.stdout + bad.stderr).toMatch(/error: bllvm-sdk depends on bllvm-node in its Cargo\.toml/);
      expect(bad.stdout + bad.stderr).not.toMatch(/error: governance-app/);
    } finally {
      await writeFile(file, original);
    }
  });

  it('refuses to touch a checkout folder it did not create', async () => {
    const foreign = join(sw.ws.dir, '.bllvm', 'sources-foreign');
    await mkdir(join(foreign, 'bllvm-consensus'), { recursive: true });
    await writeFile(join(foreign, 'bllvm-consensus', 'precious.txt'), 'mine');
    const r = await sw.ws.nx('run', 'bllvm-consensus:build', '--skip-nx-cache');
    expect(r.exitCode).toBe(0);
    // Point the work dir's sources at a folder someone else made: the build must refuse and leave it alone.
    const env = { BLLVM_WORK_DIR: join(sw.ws.dir, '.bllvm-foreign') };
    await mkdir(join(env.BLLVM_WORK_DIR, 'sources', 'bllvm-consensus'), { recursive: true });
    await writeFile(join(env.BLLVM_WORK_DIR, 'sources', 'bllvm-consensus', 'precious.txt'), 'mine');
    Object.assign(sw.ws.env, env);
    try {
      const refused = await sw.ws.nx('run', 'bllvm-consensus:build', '--skip-nx-cache');
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stdout + refused.stderr).toMatch(/was not created by the orchestrator; refusing to modify it/);
      expect(await readdir(join(env.BLLVM_WORK_DIR, 'sources', 'bllvm-consensus'))).toEqual(['precious.txt']);
    } finally {
      sw.ws.env.BLLVM_WORK_DIR = join(sw.ws.dir, '.bllvm');
    }
    expect(existsSync(join(foreign, 'bllvm-consensus', 'precious.txt'))).toBe(true);
  });
});
