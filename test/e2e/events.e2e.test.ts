import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pipeline, WORKSPACE_ROOT, addOrigin, startPipeline } from '@bllvm/demo';
import { addCommit } from '@bllvm/sandbox';

// Issue-level acceptance for cross-repository triggering: events from component repos move
// pins through handle-event, exactly the affected part builds, a prerelease is published and
// governance-app is told to deploy. Hostile events change nothing; concurrent ones all land.
let p: Pipeline;
let scratch: string;
let origin: string;

async function eventFile(event: unknown, name = `event-${Math.random().toString(36).slice(2)}.json`): Promise<string> {
  const file = join(scratch, name);
  await writeFile(file, typeof event === 'string' ? event : JSON.stringify(event));
  return file;
}

const dispatch = (action: string, client_payload: Record<string, unknown>) => ({ action, client_payload, repository: { full_name: 'BTCDecoded/bllvm' } });

async function pinOf(dir: string, component: string): Promise<string> {
  return /commit = "([0-9a-f]{40})"/.exec(await readFile(join(dir, 'apps', component, 'pin.toml'), 'utf8'))![1]!;
}

async function gitIn(dir: string, ...args: string[]): Promise<string> {
  return (await execa('git', args, { cwd: dir })).stdout.trim();
}

beforeAll(async () => {
  p = await startPipeline();
  scratch = await mkdtemp(join(tmpdir(), 'bllvm-events-'));
  origin = await addOrigin(p.sw.ws, scratch);
  // What the last release built is in the cache, as it is on the runners.
  const warm = await p.sw.ws.cli('build', '-c', 'sandbox');
  expect(warm.exitCode, warm.stderr.slice(-2000)).toBe(0);
}, 600_000);

afterAll(async () => {
  expect(p.api.validationErrors()).toEqual([]);
  await p?.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('a legacy build_protocol event', () => {
  it('moves the pin in a commit, builds exactly protocol and its dependents, publishes and signals deploy', async () => {
    const sha = await addCommit(p.sw.org, 'bllvm-protocol', { message: 'protocol: new block rule' });
    const file = await eventFile(dispatch('build_protocol', { triggered_by: 'bllvm-protocol', source_ref: 'refs/heads/main', source_sha: sha, version: '0.1.0' }));
    const head = await p.sw.ws.git('rev-parse', 'HEAD');
    const dry = await p.sw.ws.cli('handle-event', '--event-file', file, '--push', '--dry-run');
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`would move bllvm-protocol: `);
    expect(await p.sw.ws.git('rev-parse', 'HEAD')).toBe(head);
    expect(await p.sw.ws.git('status', '--porcelain')).toBe('');
    const handled = await p.sw.ws.cli('handle-event', '--event-file', file, '--event-name', 'repository_dispatch', '--push');
    expect(handled.exitCode, handled.stderr).toBe(0);
    expect(handled.stdout).toContain(`moved bllvm-protocol: `);
    expect(await pinOf(p.sw.ws.dir, 'bllvm-protocol')).toBe(sha);
    const message = await p.sw.ws.git('log', '-1', '--format=%B');
    expect(message).toMatch(new RegExp(`^pin bllvm-protocol [0-9a-f]{7} -> ${sha.slice(0, 7)}`));
    expect(message).toContain(sha);
    expect(await gitIn(origin, 'rev-parse', 'main')).toBe(await p.sw.ws.git('rev-parse', 'HEAD'));

    await p.shims.reset();
    const built = await p.sw.ws.cli('build', '--targets', 'build,test,verify', '--base', 'last-release', '-c', 'sandbox', '--json');
    expect(built.exitCode, built.stderr.slice(-2000)).toBe(0);
    const roots = new Set((await p.shims.calls()).filter((c) => c.tool === 'cargo' && / build /.test(` ${c.args} `)).map((c) => c.cwd.split('/').pop()));
    expect([...roots].sort()).toEqual(['bllvm', 'bllvm-node', 'bllvm-protocol', 'bllvm-sdk', 'governance-app']);

    const pre = await p.sw.ws.cli('prerelease', '-c', 'sandbox', '--json');
    expect(pre.exitCode, pre.stderr.slice(-2000)).toBe(0);
    const { tag } = JSON.parse(pre.stdout) as { tag: string };
    expect(p.api.state.releases('BTCDecoded', 'bllvm').map((r) => r.tagName)).toContain(tag);
    const deploy = p.api.state.dispatches().filter((d) => d.eventType === 'deploy');
    expect(deploy.at(-1)).toMatchObject({ owner: 'BTCDecoded', repo: 'governance-app', clientPayload: { tag } });
  });

  it('is idempotent: the same event again changes nothing', async () => {
    const sha = await pinOf(p.sw.ws.dir, 'bllvm-protocol');
    const head = await p.sw.ws.git('rev-parse', 'HEAD');
    const r = await p.sw.ws.cli('handle-event', '--event-file', await eventFile(dispatch('component-updated', { component: 'bllvm-protocol', sha })), '--push');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('pins already up to date; nothing to do');
    expect(await p.sw.ws.git('rev-parse', 'HEAD')).toBe(head);
  });
});

describe('events as the real senders send them', () => {
  it('develop-chain moves the source to its branch head and names what rebuilds; build_governance {ref, sha, repo} moves the app; a release notice moves nothing', async () => {
    const sdk = await addCommit(p.sw.org, 'bllvm-sdk', { message: 'sdk: new signer' });
    const chain = await p.sw.ws.cli('handle-event', '--event-file', await eventFile(dispatch('develop-chain', { version: '0.1.1', source: 'BTCDecoded/bllvm-sdk' })), '--push');
    expect(chain.exitCode, chain.stderr).toBe(0);
    expect(chain.stdout).toContain('rebuilds bllvm-sdk, governance-app');
    expect(await pinOf(p.sw.ws.dir, 'bllvm-sdk')).toBe(sdk);
    expect(await p.sw.ws.git('log', '-1', '--format=%B')).toContain('From repository_dispatch develop-chain (version 0.1.1)');

    const gov = await addCommit(p.sw.org, 'governance-app', { message: 'governance: new rule' });
    const built = await p.sw.ws.cli('handle-event', '--event-file', await eventFile(dispatch('build_governance', { ref: 'refs/heads/main', sha: gov, repo: 'governance-app' })), '--push');
    expect(built.exitCode, built.stderr).toBe(0);
    expect(await pinOf(p.sw.ws.dir, 'governance-app')).toBe(gov);
    expect(await gitIn(origin, 'rev-parse', 'main')).toBe(await p.sw.ws.git('rev-parse', 'HEAD'));

    const head = await p.sw.ws.git('rev-parse', 'HEAD');
    const notice = await p.sw.ws.cli('handle-event', '--event-file', await eventFile(dispatch('bllvm-release', { tag: 'v0.2.0', source_repo: 'BTCDecoded/bllvm' })), '--push');
    expect(notice.exitCode, notice.stderr).toBe(0);
    expect(notice.stdout).toMatch(/nothing to do: BTCDecoded\/bllvm released v0\.2\.0/);
    expect(await p.sw.ws.git('rev-parse', 'HEAD')).toBe(head);
  });
});

describe('build-chain as blvm-consensus sends it after publishing: {source, version, source_sha}', () => {
  it('pins the source to the commit it names when that is on the tracked branch, and refuses one that is not, changing nothing', async () => {
    const published = await addCommit(p.sw.org, 'bllvm-consensus', { message: 'consensus: release 0.1.54' });
    await addCommit(p.sw.org, 'bllvm-consensus', { message: 'consensus: newer than what was published' });
    const r = await p.sw.ws.cli('handle-event', '--event-file', await eventFile(dispatch('build-chain', { source: 'bllvm-consensus', version: '0.1.54', source_sha: published })), '--push');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await pinOf(p.sw.ws.dir, 'bllvm-consensus')).toBe(published);
    expect(await p.sw.ws.git('log', '-1', '--format=%B')).toContain('From repository_dispatch build-chain (version 0.1.54).');

    const side = await addCommit(p.sw.org, 'bllvm-consensus', { message: 'consensus: experiment', branch: 'experiment' });
    const head = await p.sw.ws.git('rev-parse', 'HEAD');
    const refused = await p.sw.ws.cli('handle-event', '--event-file', await eventFile(dispatch('build-chain', { source: 'bllvm-consensus', version: '0.1.55', source_sha: side })), '--push');
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`event rejected: commit ${side} is not on BTCDecoded/bllvm-consensus branch main; refusing to pin bllvm-consensus to it`));
    expect(await p.sw.ws.git('rev-parse', 'HEAD')).toBe(head);
    expect(await p.sw.ws.git('status', '--porcelain')).toBe('');
  });

  it('deploy, the seed orchestrator\'s signal to the app\'s deployment, is understood and moves nothing', async () => {
    const head = await p.sw.ws.git('rev-parse', 'HEAD');
    const r = await p.sw.ws.cli('handle-event', '--event-file', await eventFile(dispatch('deploy', { tag: 'v0.1.0', image: 'ghcr.io/btcdecoded/governance-app:v0.1.0' })), '--push');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/nothing to do: a deploy signal for v0\.1\.0/);
    expect(await p.sw.ws.git('rev-parse', 'HEAD')).toBe(head);
  });
});

describe('hostile events', () => {
  const SHA40 = 'f'.repeat(40);
  const cases: [string, unknown, RegExp][] = [
    ['an unknown component', dispatch('component-updated', { component: 'bllvm-wallet', sha: SHA40 }), /unknown component "bllvm-wallet"/],
    ['a path-traversal component', dispatch('component-updated', { component: '../apps/bllvm', sha: SHA40 }), /unknown component/],
    ['a sha of the wrong length', dispatch('build_node', { source_sha: 'abc123' }), /source_sha "abc123" is not a 40-character/],
    ['a sha not in the repository', dispatch('build_node', { source_sha: SHA40, source_ref: 'main' }), /commit f{40} does not exist in BTCDecoded\/bllvm-node/],
    ['a ref with a shell command', dispatch('build_node', { source_sha: SHA40, source_ref: 'main; rm -rf /' }), /source_ref "main; rm -rf \/" contains characters outside/],
    ['$(...) in the component', dispatch('component-updated', { component: '$(touch /tmp/pwned)', sha: SHA40 }), /unknown component "\$\(touch \/tmp\/pwned\)"/],
    ['$(...) in the ref', dispatch('component-updated', { component: 'bllvm', sha: SHA40, ref: '$(id)' }), /contains characters outside/],
    ['$(...) in the version', dispatch('build_sdk', { source_sha: SHA40, version: '$(id)' }), /commit f{40} does not exist/],
    ['an expression in triggered_by', dispatch('build_sdk', { triggered_by: '${{ secrets.ORCHESTRATOR_TOKEN }}', source_sha: SHA40 }), /triggered_by .* does not match/],
    ['an unexpected key', dispatch('component-updated', { component: 'bllvm', sha: SHA40, run: 'curl evil' }), /unexpected key "run"/],
    ['an oversized payload', dispatch('component-updated', { component: 'bllvm', sha: SHA40, ref: 'x'.repeat(10_000) }), /larger than 4096 bytes/],
    ['an oversized event file', 'x'.repeat(300 * 1024), /larger than 262144 bytes/],
    ['a file that is not JSON', '{"action": ', /not valid JSON/],
    ['an unknown event type', dispatch('deploy_everything', {}), /unknown event type "deploy_everything"/],
  ];

  it.each(cases)('refuses %s and changes nothing', async (_name, event, message) => {
    const before = { head: await p.sw.ws.git('rev-parse', 'HEAD'), remote: await gitIn(origin, 'rev-parse', 'main'), status: await p.sw.ws.git('status', '--porcelain') };
    const r = await p.sw.ws.cli('handle-event', '--event-file', await eventFile(event), '--event-name', 'repository_dispatch', '--push');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/event rejected: /);
    expect(r.stderr).toMatch(message);
    expect({ head: await p.sw.ws.git('rev-parse', 'HEAD'), remote: await gitIn(origin, 'rev-parse', 'main'), status: await p.sw.ws.git('status', '--porcelain') }).toEqual(before);
  });

  it('refuses a downgrade unless forced', async () => {
    const current = await pinOf(p.sw.ws.dir, 'bllvm-protocol');
    const older = (await execa('git', ['--git-dir', p.sw.org.repoPath('bllvm-protocol'), 'rev-parse', `${current}~1`])).stdout;
    const head = await p.sw.ws.git('rev-parse', 'HEAD');
    const file = await eventFile(dispatch('component-updated', { component: 'bllvm-protocol', sha: older }));
    const r = await p.sw.ws.cli('handle-event', '--event-file', file, '--push');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/is older than the current pin .*refusing to move the pin backwards/);
    expect(await p.sw.ws.git('rev-parse', 'HEAD')).toBe(head);
    const forced = await p.sw.ws.cli('handle-event', '--event-file', await eventFile(dispatch('component-updated', { component: 'bllvm-protocol', sha: older, force: true })), '--push');
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(await pinOf(p.sw.ws.dir, 'bllvm-protocol')).toBe(older);
  });

  it('refuses a commit that exists but is not on the tracked branch', async () => {
    const side = await addCommit(p.sw.org, 'bllvm-sdk', { message: 'sdk: experiment', branch: 'experiment' });
    const r = await p.sw.ws.cli('handle-event', '--event-file', await eventFile(dispatch('build_sdk', { source_sha: side })), '--push');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`commit ${side} is not on BTCDecoded/bllvm-sdk branch main`));
  });
});

describe('concurrent events', () => {
  it('two events for different components pushed at once both land, in a linear history', async () => {
    // A second orchestrator checkout sharing the same remote, as two workflow runs would be.
    const other = join(scratch, 'other');
    await execa('git', ['clone', '--quiet', origin, other]);
    await symlink(join(WORKSPACE_ROOT, 'node_modules'), join(other, 'node_modules'));
    await p.sw.ws.git('pull', '--quiet', '--ff-only');
    const node = await addCommit(p.sw.org, 'bllvm-node', { message: 'node: peer scoring' });
    const gov = await addCommit(p.sw.org, 'governance-app', { message: 'governance: quorum' });
    const before = await gitIn(origin, 'rev-parse', 'main');
    const env = { ...process.env, ...p.sw.ws.env, NX_DAEMON: 'false', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@localhost', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@localhost' };
    const run = (dir: string, file: string) =>
      execa(process.execPath, [join(dir, 'tools/ship/cli/bin/bllvm-release.cjs'), 'handle-event', '--event-file', file, '--push'], { cwd: dir, env: { ...env, BLLVM_WORK_DIR: join(dir, '.bllvm') }, reject: false });
    const [a, b] = await Promise.all([
      run(p.sw.ws.dir, await eventFile(dispatch('build_node', { source_sha: node }))),
      run(other, await eventFile(dispatch('build_governance', { source_sha: gov }))),
    ]);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(b.exitCode, b.stderr).toBe(0);
    const tip = join(scratch, 'tip');
    await execa('git', ['clone', '--quiet', origin, tip]);
    expect(await pinOf(tip, 'bllvm-node')).toBe(node);
    expect(await pinOf(tip, 'governance-app')).toBe(gov);
    const history = (await gitIn(tip, 'log', '--format=%P %s', `${before}..HEAD`)).split('\n');
    expect(history).toHaveLength(2);
    expect(history.every((l) => l.split(' ')[0]!.length === 40 && !/^[0-9a-f]{40} [0-9a-f]{40} /.test(l))).toBe(true); // no merges
  });
});

describe('a pin moved by hand', () => {
  it('is committed like an event\'s move, pushed with --push, and refused on a dirty workspace', async () => {
    const sha = await addCommit(p.sw.org, 'bllvm-sdk', { message: 'sdk: by hand' });
    const readme = join(p.sw.ws.dir, 'README.md');
    const original = await readFile(readme, 'utf8');
    await writeFile(readme, `${original}\nlocal edit\n`);
    const head = await p.sw.ws.git('rev-parse', 'HEAD');
    const dirty = await p.sw.ws.cli('pin', 'bllvm-sdk', sha, '--push');
    expect(dirty.exitCode).toBe(1);
    expect(dirty.stderr).toMatch(/uncommitted changes.*\n.*README\.md/);
    expect(await p.sw.ws.git('rev-parse', 'HEAD')).toBe(head);
    await writeFile(readme, original);

    const moved = await p.sw.ws.cli('pin', 'bllvm-sdk', sha, '--push');
    expect(moved.exitCode, moved.stderr).toBe(0);
    expect(await pinOf(p.sw.ws.dir, 'bllvm-sdk')).toBe(sha);
    const commit = await p.sw.ws.git('rev-parse', 'HEAD');
    expect(moved.stdout).toContain(`commit ${commit}`);
    expect((await p.sw.ws.git('log', '-1', '--format=%B')).trim()).toMatch(new RegExp(`^pin bllvm-sdk [0-9a-f]{7} -> ${sha.slice(0, 7)}\\n\\nBy hand \\(bllvm-release pin\\)\\.\\nbllvm-sdk: [0-9a-f]{40} -> ${sha}$`));
    expect(await gitIn(origin, 'rev-parse', 'main')).toBe(commit);
    expect(await p.sw.ws.git('status', '--porcelain')).toBe('');

    const again = await p.sw.ws.cli('pin', 'bllvm-sdk', sha, '--push');
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain(`bllvm-sdk: already pinned at ${sha}`);
    expect(await p.sw.ws.git('rev-parse', 'HEAD')).toBe(commit);
  });
});
