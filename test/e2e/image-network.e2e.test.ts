import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BuildRecord, componentDist } from '@bllvm/manifest';
import { type PodmanService, startPodmanService } from '@bllvm/podman';
import { dockerBuildArgs, dockerEnv, runDockerTask } from '@bllvm/nx-plugin/testing';

// Does `docker build --network=none` keep a build step off the network on the engine the image
// executor uses (podman's Docker API)? Measured here with the executor's own arguments and
// environment: a RUN step connects to a TCP server this test listens on at 127.0.0.1, and an
// `ADD <url>` names an HTTP server of the test. Both reached their server (recorded in
// docs/security.md), so the executor refuses, before any build, a Dockerfile with a step that
// runs or fetches (isolated-steps.ts): the same RUN through the executor never connects.
// A base image's ONBUILD trigger runs in a build FROM it too, and podman's inspect does not show
// it, so the executor reads the base's config from `docker save` and refuses a trigger.
// There is no base image offline, so the images are made FROM scratch of the runner's own bash
// and the libraries it loads, staged as the "binaries" of a build record.

interface Seen {
  connections: string[];
  requests: string[];
}

let dir: string;
let podman: PodmanService;
let tcpPort: number;
let httpPort: number;
let closeServers: () => Promise<void>;
const seen: Seen = { connections: [], requests: [] };
let shell: { name: string; path: string; imageDir: string }[];
let record: BuildRecord;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** FROM scratch with bash and the libraries it loads, where the loader looks for them. */
const header = () => ['FROM scratch', ...[...new Set(shell.map((f) => f.imageDir))].map((d) => `COPY ${shell.filter((f) => f.imageDir === d).map((f) => f.name).join(' ')} ${d}/`)];
const connectingRun = (what: string) => `RUN ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${tcpPort} && echo ${what} >&3"]`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bllvm-image-network-'));
  // Bounded servers on 127.0.0.1 only; each records who reached it, the test stops them.
  const tcp = createTcpServer((socket) => {
    socket.setTimeout(5_000, () => socket.destroy());
    let data = '';
    socket.on('data', (d) => (data += d.toString()));
    socket.on('close', () => seen.connections.push(data.trim()));
  });
  const http = createHttpServer((req, res) => {
    seen.requests.push(req.url ?? '');
    res.end('fetched\n');
  });
  http.headersTimeout = 5_000;
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  tcpPort = (tcp.address() as AddressInfo).port;
  httpPort = (http.address() as AddressInfo).port;
  closeServers = async () => {
    http.closeAllConnections();
    await Promise.all([new Promise((r) => tcp.close(r)), new Promise((r) => http.close(r))]);
  };

  // The runner's bash and what `ldd` says it loads, flat in the build dir as a build's binaries are.
  const ldd = await execa('ldd', ['/bin/bash']);
  const libs = [...ldd.stdout.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((m) => m[1]!);
  shell = [{ name: 'bash', path: '/bin/bash', imageDir: '/bin' }, ...libs.map((p) => ({ name: basename(p), path: p, imageDir: dirname(p) }))];
  const dist = componentDist(join(dir, 'dist'), 'probe');
  await mkdir(dist.build.dir, { recursive: true });
  for (const f of shell) await copyFile(f.path, join(dist.build.dir, f.name));
  const artifacts = [];
  for (const f of shell) {
    const bytes = await readFile(join(dist.build.dir, f.name));
    artifacts.push({ name: f.name, kind: 'binary' as const, size: bytes.length, sha256: sha256(bytes) });
  }
  record = {
    component: 'probe',
    repository: 'Org/probe',
    branch: 'main',
    commit: 'b'.repeat(40),
    version: '0.1.0',
    toolchain: 'rustc 1.95.0',
    features: [],
    profile: 'release',
    upstream: {},
    artifacts,
    settings: { sourceDateEpoch: 1_700_000_000, cargo: 'cargo 1.95.0', rustflags: [], command: ['cargo', 'build'], sandbox: {} },
  };
  await writeFile(dist.build.record, JSON.stringify(record));
  podman = await startPodmanService(join(dir, 'podman'), 20_000, { privateStorage: true });
}, 120_000);

afterAll(async () => {
  await closeServers?.();
  await podman?.stop();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen.connections.length = 0;
  seen.requests.length = 0;
});

const env = () => ({ ...process.env, DOCKER_HOST: podman.dockerHost });
const binaries = () => shell.map((f) => f.name);

/** `docker build` exactly as the executor runs it (its arguments, its environment), on a context staged by hand. */
async function engineBuild(name: string, dockerfile: string[], tag = `localhost/${name}:1`): Promise<{ exitCode: number; output: string }> {
  const context = join(dir, `context-${name}`);
  await mkdir(context, { recursive: true });
  for (const f of shell) await copyFile(f.path, join(context, f.name));
  await writeFile(join(context, 'Dockerfile'), `${dockerfile.join('\n')}\n`);
  const options = { dockerfile: 'Dockerfile', image: `localhost/${name}`, binaries: binaries(), network: 'none', tags: [tag.split(':').at(-1)!] };
  const args = dockerBuildArgs(options, record, context, join(context, 'Dockerfile'));
  expect(args).toContain('--network=none');
  const r = await execa('docker', args, { env: dockerEnv(env(), context), extendEnv: false, reject: false, all: true, timeout: 120_000 });
  return { exitCode: r.exitCode ?? -1, output: String(r.all) };
}

/** A base image whose config holds an ONBUILD trigger that connects to the TCP server (built once). */
let onbuildBase: Promise<{ exitCode: number; output: string }> | undefined;
const ensureOnbuildBase = () => (onbuildBase ??= engineBuild('onbuild-base', [...header(), `ONBUILD ${connectingRun('from-onbuild')}`]));

/** The image executor on a Dockerfile written into the workspace (`dir`). */
async function executor(name: string, dockerfile: string[]) {
  await writeFile(join(dir, `${name}.Dockerfile`), `${dockerfile.join('\n')}\n`);
  const dist = componentDist(join(dir, 'dist'), 'probe');
  await rm(dist.image.record, { force: true });
  const contextDir = join(dir, `executor-${name}`);
  const lines: string[] = [];
  const r = await runDockerTask(
    { dockerfile: `${name}.Dockerfile`, image: `localhost/${name}`, binaries: binaries() },
    { workspaceRoot: dir, component: 'probe', dist, contextDir, log: (l) => lines.push(l), env: env() },
  );
  return { ...r, lines, contextStaged: existsSync(contextDir), imageRecorded: existsSync(dist.image.record) };
}

describe('the engine under the executor\'s --network=none (podman\'s Docker API)', () => {
  it('lets a RUN step connect to a server on 127.0.0.1', async () => {
    const r = await engineBuild('run-step', [...header(), connectingRun('from-run')]);
    // The measurement the refusal rests on; if an engine ever isolates, docs/security.md should say so.
    expect(r.exitCode, r.output).toBe(0);
    expect(seen.connections).toEqual(['from-run']);
  }, 180_000);

  it('lets ADD fetch a URL on 127.0.0.1', async () => {
    const r = await engineBuild('add-url', [...header(), `ADD http://127.0.0.1:${httpPort}/fetched /fetched`]);
    expect(r.exitCode, r.output).toBe(0);
    expect(seen.requests).toEqual(['/fetched']);
  }, 180_000);

  it("runs a base image's ONBUILD trigger in a build FROM it, where the Dockerfile itself has no RUN", async () => {
    const base = await ensureOnbuildBase();
    expect(base.exitCode, base.output).toBe(0);
    expect(seen.connections).toEqual([]);
    const child = await engineBuild('onbuild-child', ['FROM localhost/onbuild-base:1', 'USER 65532:65532']);
    expect(child.exitCode, child.output).toBe(0);
    expect(seen.connections).toEqual(['from-onbuild']);
    // And its inspect leaves the trigger out, so the executor reads the saved config instead (saved-image-config.ts).
    const inspect = await execa('docker', ['image', 'inspect', '--format', '{{json .Config.OnBuild}}', 'localhost/onbuild-base:1'], { env: env(), reject: false });
    expect(inspect.stdout.trim()).toBe('null');
  }, 180_000);
});

describe('the image executor', () => {
  it('refuses the RUN Dockerfile before any build, naming the file, line and why; the RUN never connects', async () => {
    const r = await executor('run-step', [...header(), connectingRun('from-executor-run')]);
    expect(r.success).toBe(false);
    expect(r.message).toContain(`run-step.Dockerfile:${header().length + 1}: RUN runs a command during the build, and the image engine cannot keep a RUN step off the network`);
    expect(r.message).toMatch(/refused before any build/);
    expect([r.contextStaged, r.imageRecorded, r.lines]).toEqual([false, false, []]);
    expect(seen.connections).toEqual([]);
  }, 180_000);

  it('refuses ADD of a URL; the server is never asked', async () => {
    const r = await executor('add-url', [...header(), `ADD http://127.0.0.1:${httpPort}/fetched /fetched`]);
    expect(r.success).toBe(false);
    expect(r.message).toContain(`add-url.Dockerfile:${header().length + 1}: ADD fetches http://127.0.0.1:${httpPort}/fetched during the build`);
    expect([r.contextStaged, r.imageRecorded]).toEqual([false, false]);
    expect(seen.requests).toEqual([]);
  }, 180_000);

  it("refuses a base image with ONBUILD triggers, read from the engine's config of it; the trigger never runs", async () => {
    expect((await ensureOnbuildBase()).exitCode).toBe(0);
    seen.connections.length = 0;
    const r = await executor('onbuild-child', ['FROM localhost/onbuild-base:1', 'USER 65532:65532']);
    expect(r.success).toBe(false);
    expect(r.message).toContain('onbuild-child.Dockerfile:1: FROM starts from localhost/onbuild-base:1, whose config holds the ONBUILD trigger "RUN');
    expect([r.contextStaged, r.imageRecorded]).toEqual([false, false]);
    expect(seen.connections).toEqual([]);
  }, 180_000);

  it('builds a Dockerfile that runs nothing, from scratch or from a base image without triggers', async () => {
    const plain = await engineBuild('plain-base', header());
    expect(plain.exitCode, plain.output).toBe(0);
    for (const [name, from] of [
      ['from-scratch', ['ARG RUNTIME_BASE=scratch', 'FROM ${RUNTIME_BASE}', 'COPY bash /bin/']],
      ['from-base', ['FROM localhost/plain-base:1']],
    ] as const) {
      const r = await executor(name, [...from, 'USER 65532:65532', 'ENTRYPOINT ["/bin/bash"]']);
      expect(r.success, `${r.message}\n${r.lines.join('\n')}`).toBe(true);
      expect(r.imageRecorded).toBe(true);
    }
    expect(seen).toEqual({ connections: [], requests: [] });
  }, 240_000);
});
