import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventError } from '@bllvm/events';
import { GitHubApiError } from '@bllvm/github';
import { ManifestError, ManifestErrors, OrchestratorError } from '@bllvm/manifest';
import { StagingError } from '@bllvm/release';
import { SourcesError, gitReason } from '@bllvm/sources';
import { CommandError, UsageError } from './command';
import { describeFailure } from './failure';
import { runCli } from './main';

const WORKSPACE = resolve(import.meta.dirname, '../../../..');

describe('how a failed command ends', () => {
  const manifest = new ManifestError('apps/x/pin.toml', 'missing', { field: 'commit' });
  it.each([
    ['ManifestError', manifest, 'apps/x/pin.toml: commit: missing'],
    ['ManifestErrors', new ManifestErrors([manifest, new ManifestError('versions.toml', 'bad')]), 'apps/x/pin.toml: commit: missing\nversions.toml: bad'],
    ['SourcesError', new SourcesError('cannot fetch BTCDecoded/x', { component: 'x' }), 'cannot fetch BTCDecoded/x'],
    ['StagingError', new StagingError(['a is missing']), 'cannot stage release:\n  a is missing'],
    ['GitHubApiError', new GitHubApiError({ operation: 'create release', owner: 'o', repo: 'r' }, { status: 422, reason: 'HTTP 422: nope' }), 'create release o/r failed: HTTP 422: nope'],
    ['CommandError', new CommandError('unknown component "x"'), 'unknown component "x"'],
    ['EventError', new EventError('event payload is not a JSON object'), 'event payload is not a JSON object'],
  ])('%s: exit 1 with its message and no stack', (_n, error, text) => {
    expect(error).toBeInstanceOf(OrchestratorError);
    expect(describeFailure(error)).toEqual({ exitCode: 1, text, showUsage: false });
  });

  it('UsageError: exit 2 with the usage', () => {
    expect(describeFailure(new UsageError('expected <component> <commit>'))).toEqual({ exitCode: 2, text: 'expected <component> <commit>', showUsage: true });
  });

  it('an option parseArgs rejects: exit 2 with the usage', () => {
    const e = Object.assign(new TypeError("Unknown option '--bogus'"), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
    expect(describeFailure(e)).toEqual({ exitCode: 2, text: "Unknown option '--bogus'", showUsage: true });
  });

  it('anything else is a bug: exit 1 with its stack', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'commit')");
    const failure = describeFailure(bug);
    expect(failure).toMatchObject({ exitCode: 1, showUsage: false });
    expect(failure.text).toBe(bug.stack);
    expect(failure.text).toMatch(/\n\s+at /);
    expect(describeFailure('thrown text')).toEqual({ exitCode: 1, text: 'thrown text', showUsage: false });
    expect(describeFailure(null)).toEqual({ exitCode: 1, text: 'null', showUsage: false });
  });

  it('an error of any layer can choose its own exit code', () => {
    expect(describeFailure(new OrchestratorError('later', { exitCode: 3 }))).toMatchObject({ exitCode: 3, text: 'later' });
  });
});

describe('runCli maps what a command throws to its exit code', () => {
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { cwd: WORKSPACE, env: {}, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('a UsageError exits 2 and prints the usage', async () => {
    const r = await run('pin', 'bllvm-node');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^bllvm-release pin: expected <component> <commit>\n\nusage: bllvm-release pin <component> <commit>/);
  });

  it('an unknown option exits 2 and prints the usage', async () => {
    const r = await run('check', '--bogus');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^bllvm-release check: Unknown option '--bogus'.*\n\nusage: bllvm-release check/s);
  });

  it('a CommandError exits 1 with its message only', async () => {
    const r = await run('pin', 'no-such-component', 'a'.repeat(40));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^bllvm-release pin: unknown component "no-such-component" \(known: blvm-primitives, blvm-spec-lock, bllvm-consensus, /);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('a rejected event exits 1 with the reason only', async () => {
    const r = await run('handle-event', '--event-file', resolve(WORKSPACE, 'package.json'), '--dry-run');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^bllvm-release handle-event: event rejected: /);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('a ManifestError exits 1 naming the file and the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-'));
    try {
      await cp(join(WORKSPACE, 'apps'), join(dir, 'apps'), { recursive: true });
      await writeFile(join(dir, 'nx.json'), '{}');
      await writeFile(join(dir, 'apps/bllvm-node/pin.toml'), 'repository = "BTCDecoded/bllvm-node"\nbranch = "main"\ncommit = "nope"\n');
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['pin', 'bllvm-node', 'a'.repeat(40)], { cwd: dir, env: {}, out: (l) => out.push(l), err: (l) => err.push(l) });
      expect(code).toBe(1);
      expect(err.join('\n')).toBe(`bllvm-release pin: ${join(dir, 'apps/bllvm-node/pin.toml')}:3: commit: "nope" is not a 40-character lowercase hex commit`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // A base URL with credentials (https://user:token@host/, as a private mirror needs) reaches
  // messages through our text and through git's stderr, which repeats the URL it failed on.
  it('never prints the credentials of BLLVM_GIT_BASE_URL when fetching fails', async () => {
    const work = await mkdtemp(join(tmpdir(), 'cli-creds-'));
    try {
      const out: string[] = [];
      const err: string[] = [];
      const env = { BLLVM_GIT_BASE_URL: 'https://ci-bot:s3cret-token@127.0.0.1:9/', BLLVM_WORK_DIR: work };
      for (const argv of [['pin', 'bllvm-node', 'a'.repeat(40)], ['check']]) {
        const code = await runCli(argv, { cwd: WORKSPACE, env, out: (l) => out.push(l), err: (l) => err.push(l) });
        expect(code, err.join('\n')).toBe(1);
      }
      const text = [...out, ...err].join('\n');
      expect(text).toMatch(/^bllvm-release pin: cannot clone BTCDecoded\/blvm-node from https:\/\/\*\*\*@127\.0\.0\.1:9\/BTCDecoded\/blvm-node\.git: /m);
      expect(text).toMatch(/^(bllvm-node|blvm-[a-z0-9-]+|bllvm[a-z-]*|governance-app): cannot clone BTCDecoded\/blvm-[a-z0-9-]+ from https:\/\/\*\*\*@127\.0\.0\.1:9\//m);
      expect(text).not.toContain('s3cret-token');
      expect(text).not.toContain('ci-bot');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  // An opaque token (GitHub Enterprise, a proxy's) has no shape to be found by: the configured
  // value itself is scrubbed from everything the CLI prints, in the encodings it travels in.
  it('never prints a configured token, not even one pasted as an argument, literally or encoded', async () => {
    const work = await mkdtemp(join(tmpdir(), 'cli-token-'));
    const token = 'opaque-9Xk2Lm7Qw4Zp/v+1';
    const deploy = 'deploy-Hq3Nc8Rt6Yb1';
    try {
      const lines: string[] = [];
      const env = { GITHUB_TOKEN: token, BLLVM_DEPLOY_TOKEN: deploy, BLLVM_WORK_DIR: work };
      const pasted = [token, encodeURIComponent(token), Buffer.from(`x-access-token:${token}`).toString('base64'), Buffer.from(`${deploy}\n`).toString('base64url'), `x${deploy}`];
      for (const value of pasted) {
        const code = await runCli(['pin', 'bllvm-node', value], { cwd: WORKSPACE, env, out: (l) => lines.push(l), err: (l) => lines.push(l) });
        expect(code).toBe(1);
      }
      const text = lines.join('\n');
      expect(text).toMatch(/"\*\*\*" is not a 40-character lowercase hex commit/);
      for (const secret of [token, deploy, ...pasted, 'Xk2Lm7', 'Hq3Nc8']) expect(text).not.toContain(secret);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it("scrubs credentials from git's own complaint and from every OrchestratorError", () => {
    const stderr = "Cloning into bare repository...\nfatal: unable to access 'https://u:tok3n@example.com/o/r.git/': Could not resolve host";
    expect(gitReason({ ok: false, stdout: '', stderr })).toBe("Cloning into bare repository... / fatal: unable to access 'https://***@example.com/o/r.git/': Could not resolve host");
    const e = new SourcesError('cannot fetch r from ssh://git:tok3n@example.com/o/r.git: refused', { remote: 'ssh://git:tok3n@example.com/o/r.git' });
    expect(e.message).toBe('cannot fetch r from ssh://***@example.com/o/r.git: refused');
    expect(e.details.remote).toBe('ssh://***@example.com/o/r.git');
    expect(describeFailure(new Error('execa: git clone https://x:tok3n@h/ failed')).text).not.toContain('tok3n');
  });
});
