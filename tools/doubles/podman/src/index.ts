import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

/**
 * podman's Docker-compatible API on a private socket, so the ordinary `docker` CLI works on
 * machines without a Docker engine. runc and netns=none because rootful podman's default network
 * would create a bridge on a private address range, which these machines must not do.
 */
export const CONTAINERS_CONF = `[engine]
runtime = "runc"

[containers]
netns = "none"
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
`;

export interface PodmanService {
  /** unix:///…/podman.sock, for DOCKER_HOST. */
  dockerHost: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The engine on a socket in `dir`. Its images and layers live under `dir` too, an engine of its own
 * as on a fresh machine. With `privateStorage: false` it uses the machine's shared store instead,
 * where other runs' images of the same names are: the sandbox orgs' commits are the same in every
 * run, so two runs at once tag `governance-app:<commit>` in turn, and one run's image record would
 * name an image the other has just retagged.
 */
export async function startPodmanService(dir: string, timeoutMs = 20_000, options: { privateStorage?: boolean } = {}): Promise<PodmanService> {
  const which = await execa('podman', ['--version'], { reject: false });
  if (which.exitCode !== 0) throw new Error('podman is not installed (apt-get install -y podman runc)');
  await mkdir(dir, { recursive: true });
  const conf = join(dir, 'containers.conf');
  await writeFile(conf, CONTAINERS_CONF);
  const storage: Record<string, string> = {};
  const privateStorage = options.privateStorage !== false;
  if (privateStorage) {
    storage.CONTAINERS_STORAGE_CONF = join(dir, 'storage.conf');
    await writeFile(storage.CONTAINERS_STORAGE_CONF, `[storage]\ndriver = "overlay"\ngraphroot = ${JSON.stringify(join(dir, 'storage'))}\nrunroot = ${JSON.stringify(join(dir, 'run'))}\n`);
  }
  const socket = join(dir, 'podman.sock');
  const child = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
    env: { ...process.env, CONTAINERS_CONF: conf, ...storage },
    stdio: 'ignore',
    detached: true,
  });
  child.unref();
  const pid = child.pid!;
  const dockerHost = `unix://${socket}`;
  const ended = async () => {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  const stop = async () => {
    await ended();
    // A private store is a mount of its own (overlay mounts its layer folder privately): unmount
    // it, so the folder can be removed.
    if (privateStorage) for (const mount of await mountsUnder(dir)) await execa('umount', ['-l', mount], { reject: false });
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(socket)) {
      const v = await execa('docker', ['version', '--format', '{{.Server.Version}}'], { env: { ...process.env, DOCKER_HOST: dockerHost }, reject: false });
      if (v.exitCode === 0) return { dockerHost, pid, stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`podman system service did not answer on ${socket} within ${timeoutMs} ms`);
}

/** The mount points at or below `dir`, deepest first. */
async function mountsUnder(dir: string): Promise<string[]> {
  const table = await readFile('/proc/self/mounts', 'utf8').catch(() => '');
  // The table escapes spaces and other bytes in octal (\040).
  const points = table.split('\n').map((l) => (l.split(' ')[1] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
  return points.filter((m) => m === dir || m.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length);
}
