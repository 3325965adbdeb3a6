import { createServer, type Server } from 'node:net';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hermeticEnv } from './env';
import { runInSandbox, rustSysroot } from './run';
import type { SandboxSpec } from './sandbox';

// A crate whose build script and test do what a malicious commit would: dump the environment,
// reach for a server on this machine, read a secret from the workspace, write outside the target.
const hostileCrate = (ws: string, port: number) => ({
  'Cargo.toml': '[package]\nname = "hostile"\nversion = "0.1.0"\nedition = "2021"\n',
  'build.rs': probe(ws, port, '/target/build-report.txt') + '\nfn main() { probe(); }\n',
  'src/lib.rs': `pub fn answer() -> u32 { 42 }\n\n#[cfg(test)]\nmod tests {\n    include!("../probe.rs");\n\n    #[test]\n    fn hostile_test() {\n        probe();\n        assert_eq!(super::answer(), 42);\n    }\n}\n`,
  'probe.rs': probe(ws, port, '/target/test-report.txt'),
});

function probe(ws: string, port: number, report: string): string {
  return `fn probe() {
    use std::io::Write;
    let mut out = String::new();
    for (k, v) in std::env::vars() { out.push_str(&format!("env {}={}\\n", k, v)); }
    let addr: std::net::SocketAddr = "127.0.0.1:${port}".parse().unwrap();
    let net = std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(2));
    out.push_str(&format!("net {}\\n", net.is_ok()));
    out.push_str(&format!("read-secret {}\\n", std::fs::read_to_string("${ws}/secret.txt").is_ok()));
    out.push_str(&format!("write-workspace {}\\n", std::fs::write("${ws}/pwned", b"x").is_ok()));
    out.push_str(&format!("write-source {}\\n", std::fs::write("/src/hostile/pwned", b"x").is_ok()));
    out.push_str(&format!("read-home {}\\n", std::fs::read_dir("/root").is_ok()));
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open("${report}").unwrap();
    f.write_all(out.as_bytes()).unwrap();
}
`;
}

describe('runInSandbox with a hostile crate', () => {
  let ws: string;
  let server: Server;
  let connections = 0;
  const TOKEN = 'ghp_FAKE0123456789abcdefTOKENthatMustNotLeak';

  beforeAll(async () => {
    ws = await mkdtemp(join(tmpdir(), 'bllvm-hermetic-'));
    server = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    await writeFile(join(ws, 'secret.txt'), TOKEN);
    for (const [file, text] of Object.entries(hostileCrate(ws, port))) {
      await mkdir(join(ws, 'src', 'hostile', file, '..'), { recursive: true });
      await writeFile(join(ws, 'src', 'hostile', file), text);
    }
    await mkdir(join(ws, 'target'));
    await mkdir(join(ws, 'cargo-home'));
  });
  afterAll(async () => {
    server.close();
    await rm(ws, { recursive: true, force: true });
  });

  const spec = async (argv: string[], sourceWritable = false): Promise<SandboxSpec> => ({
    sysroot: await rustSysroot(),
    mounts: [
      { host: join(ws, 'src', 'hostile'), at: '/src/hostile', writable: sourceWritable },
      { host: join(ws, 'target'), at: '/target', writable: true },
      { host: join(ws, 'cargo-home'), at: '/cargo-home', writable: true },
    ],
    cwd: '/src/hostile',
    // The runner's tokens are in the host environment; nothing may carry them in.
    // The Nx cache's token too: a class job holds it (for Nx to write the shared cache), and the
    // builds Nx starts there must never see it.
    env: hermeticEnv({
      ...process.env,
      GITHUB_TOKEN: TOKEN,
      ORCHESTRATOR_TOKEN: TOKEN,
      DOCKER_HOST: 'unix:///run/podman.sock',
      NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: TOKEN,
      NX_SELF_HOSTED_REMOTE_CACHE_SERVER: 'https://cache.invalid',
    }),
    argv,
  });

  it('builds and tests it with nothing of ours in reach', async () => {
    // The lock file is written in a step that runs no build script; the build then runs --locked
    // against a read-only checkout.
    const lock = await runInSandbox(await spec(['cargo', 'generate-lockfile', '--offline'], true), { stderr: 'pipe' });
    expect(lock.exitCode, String(lock.stderr)).toBe(0);
    const build = await runInSandbox(await spec(['cargo', 'build', '--release', '--offline', '--locked']), { stderr: 'pipe' });
    expect(build.exitCode, String(build.stderr)).toBe(0);
    const test = await runInSandbox(await spec(['cargo', 'test', '--release', '--offline', '--locked']), { stderr: 'pipe' });
    expect(test.exitCode, String(test.stderr)).toBe(0);

    for (const report of ['build-report.txt', 'test-report.txt']) {
      const text = await readFile(join(ws, 'target', report), 'utf8');
      expect(text, report).not.toContain(TOKEN);
      expect(text).not.toMatch(/^env (GITHUB_|ORCHESTRATOR_|DOCKER_HOST|BLLVM_|NX_)/m);
      expect(text).not.toContain('cache.invalid');
      expect(text).toContain('env HOME=/home/builder');
      // Every attempt, every time the probe ran (cargo may rerun a build script), failed.
      expect(text).not.toMatch(/^(net|read-secret|write-workspace|write-source|read-home) true$/m);
      for (const attempt of ['net', 'read-secret', 'write-workspace', 'write-source', 'read-home']) expect(text).toContain(`${attempt} false`);
    }
    expect(connections).toBe(0);
    expect((await readdir(ws)).sort()).toEqual(['cargo-home', 'secret.txt', 'src', 'target']);
    expect((await readdir(join(ws, 'src', 'hostile'))).sort()).toEqual(['Cargo.lock', 'Cargo.toml', 'build.rs', 'probe.rs', 'src']);
    expect(await readdir(join(ws, 'target', 'release'))).toContain('libhostile.rlib');
    // Nothing it printed carries the token either.
    expect(String(build.stdout) + String(build.stderr) + String(test.stdout) + String(test.stderr)).not.toContain(TOKEN);
  });
});

describe('runInSandbox counts the CPU of the whole process tree', () => {
  it('includes a child the sandbox never waited for, which rusage of the bwrap process would lose', async () => {
    // A busy child left running in the background, and a busy foreground loop: bubblewrap's init
    // reaps them, so none of their CPU reaches our rusage; the task's control group counts it all.
    const busy = 'i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done';
    const started = process.cpuUsage();
    const r = await runInSandbox({ sysroot: await rustSysroot(), mounts: [], cwd: '/', env: {}, argv: ['/bin/sh', '-c', `(${busy}) & ${busy}; wait`] }, { stderr: 'pipe' });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const ours = process.cpuUsage(started);
    expect(r.cpuMs, 'cgroup v1 cpuacct or v2 cpu.stat is counted on this runner').toBeDefined();
    // Two loops of a few hundred ms each; far more than this process spent waiting for them.
    expect(r.cpuMs!).toBeGreaterThan(200);
    expect(r.cpuMs!).toBeGreaterThan((ours.user + ours.system) / 1000);
  });
});
