import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CargoRegistry, RegistryError, buildCrate, startCargoRegistry } from '@bllvm/cargo-registry';
import { RegistryClient, readYankJournal } from '@bllvm/crates';
import { createGitHubClient } from '@bllvm/github';
import { type GitHubApi, startGitHubApi } from '@bllvm/github-api';
import { formatPin } from '@bllvm/manifest';
import { runCli } from '../main';

// `yank` with the real registry double and the GitHub API double, in a real orchestrator repository
// whose history holds two releases: v0.1.0 (the good set) and v0.2.0, which last-release names.
// leaf ← mid ← top and leaf ← side; side is the same crate version in both sets, so it stays.
// leaf's crate name comes from its Cargo.toml at its pin (a real repository, file://), the others'
// from pin.toml.

const GIT = ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false'];
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const OWNER = 'Test';
const REGISTRY_TOKEN = 'cio_yank_secret_7d1e';
const GITHUB_TOKEN = 'ghs_yank_secret_0b2c';

const COMPONENTS = [
  { id: 'leaf', deps: [] as string[], crate: undefined as string | undefined },
  { id: 'mid', deps: ['leaf'], crate: 'yank-mid' },
  { id: 'side', deps: ['leaf'], crate: 'yank-side' },
  { id: 'top', deps: ['mid', 'side'], crate: 'yank-top' },
];
const SETS = {
  'v0.1.0': { leaf: '0.1.0', mid: '0.1.0', side: '0.1.0', top: '0.1.0' },
  'v0.2.0': { leaf: '0.1.1', mid: '0.2.0', side: '0.1.0', top: '0.1.1' },
} as const;
const crateOf = (id: string) => COMPONENTS.find((c) => c.id === id)!.crate ?? 'yank-leaf';

function versionsToml(set: Record<string, string>): string {
  const lines = ['# The official release set.', '[versions]'];
  for (const c of COMPONENTS) {
    const requires = c.deps.map((d) => `"${d}=${set[d]}"`).join(', ');
    lines.push(`${c.id} = { version = "${set[c.id]}", git_tag = "v${set[c.id]}", git_commit = ""${c.deps.length ? `, requires = [${requires}]` : ''} }`);
  }
  return `${lines.join('\n')}\n`;
}

let tmp: string;
let ws: string;
let registry: CargoRegistry;
let api: GitHubApi;
const commits: Record<string, string> = {};

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await execa('git', [...GIT, ...args], { cwd, env: GIT_ENV })).stdout.trim();
}

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    cwd: ws,
    env: {
      PATH: process.env.PATH,
      HOME: tmp,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      BLLVM_GIT_BASE_URL: `file://${join(tmp, 'org')}/`,
      BLLVM_WORK_DIR: join(tmp, 'bllvm-work'),
      BLLVM_CARGO_REGISTRY: registry.indexUrl,
      BLLVM_CARGO_REGISTRY_TOKEN: REGISTRY_TOKEN,
      GITHUB_API_URL: api.url,
      GITHUB_TOKEN,
      GITHUB_REPOSITORY: `${OWNER}/orchestrator`,
    },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  const all = [...out, ...err].join('\n');
  expect(all).not.toContain(REGISTRY_TOKEN);
  expect(all).not.toContain(GITHUB_TOKEN);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const yanks = () => registry.log().filter((l) => l.path.endsWith('/yank')).map((l) => `${l.method} ${l.path.replace('/api/v1/crates/', '')} ${l.status}`);
const yanked = () =>
  Object.fromEntries(
    COMPONENTS.map((c) => [c.id, registry.state.info(crateOf(c.id)).versions.filter((v) => v.yanked).map((v) => v.num).sort()]),
  );

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bllvm-yank-'));
  registry = await startCargoRegistry({ token: REGISTRY_TOKEN });
  api = await startGitHubApi({ token: GITHUB_TOKEN });

  // Both sets on the registry, as the two releases published them.
  const client = new RegistryClient({ indexUrl: registry.indexUrl, token: REGISTRY_TOKEN });
  const published = new Set<string>();
  for (const set of Object.values(SETS)) {
    for (const c of COMPONENTS) {
      const name = crateOf(c.id);
      const version = set[c.id as keyof typeof set];
      if (published.has(`${name}@${version}`)) continue;
      published.add(`${name}@${version}`);
      const manifest = `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\ndescription = "d"\nlicense = "MIT"\n`;
      await client.publish(buildCrate(name, version, [{ path: 'Cargo.toml', data: Buffer.from(manifest) }, { path: 'src/lib.rs', data: Buffer.from('') }]), `${name}-${version}.crate`);
    }
  }

  // leaf's repository: one commit per release.
  const leafWork = join(tmp, 'work', 'leaf');
  await mkdir(leafWork, { recursive: true });
  await git(leafWork, 'init', '--quiet');
  const leafCommits: string[] = [];
  for (const version of [SETS['v0.1.0'].leaf, SETS['v0.2.0'].leaf]) {
    await writeFile(join(leafWork, 'Cargo.toml'), `[package]\nname = "yank-leaf"\nversion = "${version}"\n`);
    await git(leafWork, 'add', '-A');
    await git(leafWork, 'commit', '--quiet', '-m', `leaf ${version}`);
    leafCommits.push(await git(leafWork, 'rev-parse', 'HEAD'));
  }
  await git(tmp, 'clone', '--quiet', '--bare', leafWork, join(tmp, 'org', OWNER, 'leaf.git'));

  // The orchestrator repository: a commit per release, last-release on the second.
  ws = join(tmp, 'ws');
  await mkdir(ws, { recursive: true });
  await git(ws, 'init', '--quiet');
  await writeFile(join(ws, 'nx.json'), '{}\n');
  await writeFile(join(ws, '.gitignore'), '.bllvm/\ndist/\n');
  for (const [i, [tag, set]] of Object.entries(SETS).entries()) {
    await writeFile(join(ws, 'versions.toml'), versionsToml(set));
    for (const c of COMPONENTS) {
      await mkdir(join(ws, 'apps', c.id), { recursive: true });
      await writeFile(join(ws, 'apps', c.id, 'project.json'), JSON.stringify({ name: c.id, tags: ['component', 'kind:library'], implicitDependencies: c.deps }));
      const commit = c.id === 'leaf' ? leafCommits[i]! : `${String(i + 1).repeat(39)}${c.id.length}`;
      await writeFile(join(ws, 'apps', c.id, 'pin.toml'), formatPin({ repository: `${OWNER}/${c.id}`, branch: 'main', commit, ...(c.crate ? { crate: c.crate } : {}) }));
    }
    await git(ws, 'add', '-A');
    await git(ws, 'commit', '--quiet', '-m', `release set ${tag}`);
    commits[tag] = await git(ws, 'rev-parse', 'HEAD');
    await git(ws, 'tag', tag);
  }
  await git(ws, 'tag', '--annotate', '-m', `v0.2.0\n\nprevious-release: ${commits['v0.1.0']} v0.1.0`, 'last-release', commits['v0.2.0']!);

  // The releases on GitHub: both stack releases, and mid's own release of its crate version.
  const gh = createGitHubClient({ baseUrl: api.url, token: GITHUB_TOKEN, retryBaseMs: 5, log: () => undefined });
  for (const tag of ['v0.1.0', 'v0.2.0']) await gh.ensureRelease({ owner: OWNER, repo: 'orchestrator', tag, name: tag, body: `# bllvm ${tag}\n`, targetCommitish: commits[tag]! });
  await gh.ensureRelease({ owner: OWNER, repo: 'mid', tag: 'v0.2.0', name: 'yank-mid 0.2.0', body: 'mid notes', targetCommitish: 'main' });
  api.clearLog();
  registry.clearLog();
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  await api?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const journalFile = () => join(tmp, 'bllvm-work', 'yank', 'v0.2.0.json');

describe('yank', () => {
  it('--dry-run: prints the reverse-order plan and changes nothing anywhere', async () => {
    const r = await cli(['yank', 'v0.2.0', '--dry-run']);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n').filter((l) => / would yank$/.test(l))).toEqual(['yank-top 0.1.1: would yank', 'yank-mid 0.2.0: would yank', 'yank-leaf 0.1.1: would yank']);
    expect(r.err).toContain('yank: yank-side 0.1.0 is also in v0.1.0: kept');
    expect(r.out).toContain('versions.toml: would be committed back to v0.1.0\'s');
    expect(yanks()).toEqual([]);
    expect(api.log().filter((l) => l.mutating)).toEqual([]);
    expect(await readYankJournal(journalFile())).toBeUndefined();
    expect(await git(ws, 'rev-parse', 'HEAD')).toBe(commits['v0.2.0']);
  });

  it('a refusal stops the run before any upstream; --resume continues it; an already yanked version counts as done', async () => {
    // The registry refuses mid's yank once.
    const setYanked = registry.state.setYanked.bind(registry.state);
    let refusals = 1;
    registry.state.setYanked = (name, vers, flag) => {
      if (name === 'yank-mid' && refusals-- > 0) throw new RegistryError(400, 'yank-mid is under review; try later');
      setYanked(name, vers, flag);
    };
    const first = await cli(['yank', 'v0.2.0']);
    expect(first.code).toBe(1);
    expect(first.err).toContain('yanking yank-mid 0.2.0 failed: HTTP 400: yank-mid is under review; try later');
    expect(first.err).toContain('1 of 3 crates done; yank-mid 0.2.0 failed');
    expect(first.err).toContain('rerun with --resume to continue');
    expect(yanked()).toEqual({ leaf: [], mid: [], side: [], top: ['0.1.1'] });
    expect(yanks()).toEqual(['DELETE yank-top/0.1.1/yank 200', 'DELETE yank-mid/0.2.0/yank 400']);
    expect((await readYankJournal(journalFile()))!.crates.map((c) => `${c.crate} ${c.state}`)).toEqual(['yank-top yanked', 'yank-mid failed', 'yank-leaf pending']);
    expect(api.log().filter((l) => l.mutating)).toEqual([]);

    // Not without --resume.
    const again = await cli(['yank', 'v0.2.0']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('an earlier yank of v0.2.0 stopped (1 of 3 crates done; yank-mid 0.2.0 failed');

    // Someone yanks mid by hand meanwhile: the resumed run counts it as done and goes on upstream.
    await new RegistryClient({ indexUrl: registry.indexUrl, token: REGISTRY_TOKEN }).yank('yank-mid', '0.2.0');
    const resumed = await cli(['yank', 'v0.2.0', '--resume']);
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toContain('yank-top 0.1.1: yanked (recorded)');
    expect(resumed.out).toContain('yank-mid 0.2.0: already yanked');
    expect(resumed.out).toContain('yank-leaf 0.1.1: yanked');
    // Dependents first, as the registry saw it: top, mid (refused, then yanked by hand), leaf; side never.
    expect(yanks()).toEqual(['DELETE yank-top/0.1.1/yank 200', 'DELETE yank-mid/0.2.0/yank 400', 'DELETE yank-mid/0.2.0/yank 200', 'DELETE yank-leaf/0.1.1/yank 200']);
    expect(yanked()).toEqual({ leaf: ['0.1.1'], mid: ['0.2.0'], side: [], top: ['0.1.1'] });
    expect((await readYankJournal(journalFile()))!).toMatchObject({ releases: 'done', versions: 'done' });
  });

  it('marked the release and the yanked crate\'s own release superseded, and left the good release alone', () => {
    const release = (repo: string, tag: string) => api.state.getReleaseByTag(OWNER, repo, tag)!;
    expect(release('orchestrator', 'v0.2.0')).toMatchObject({ name: 'v0.2.0 (superseded)', prerelease: true });
    expect(release('orchestrator', 'v0.2.0').body).toBe('> **Superseded.** The crates of v0.2.0 were yanked from the registry; use v0.1.0 instead.\n\n# bllvm v0.2.0\n');
    expect(release('mid', 'v0.2.0')).toMatchObject({ name: 'yank-mid 0.2.0 (superseded)', prerelease: true });
    expect(release('orchestrator', 'v0.1.0')).toMatchObject({ name: 'v0.1.0', prerelease: false, body: '# bllvm v0.1.0\n' });
    expect(api.validationErrors()).toEqual([]);
  });

  it('committed versions.toml back to the good set, and nothing else', async () => {
    expect(await readFile(join(ws, 'versions.toml'), 'utf8')).toBe(versionsToml(SETS['v0.1.0']));
    expect(await git(ws, 'log', '-1', '--format=%s')).toBe('versions.toml: back to v0.1.0 after yanking v0.2.0');
    expect(await git(ws, 'rev-parse', 'HEAD~1')).toBe(commits['v0.2.0']);
    expect(await git(ws, 'show', '--name-only', '--format=', 'HEAD')).toBe('versions.toml');
    expect(await git(ws, 'status', '--porcelain')).toBe('');
  });

  it('a rerun after success does nothing', async () => {
    registry.clearLog();
    api.clearLog();
    const r = await cli(['yank', 'v0.2.0']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('v0.2.0 is already yanked (3 of 3 crates done; GitHub releases done; versions.toml done); nothing to do');
    expect(registry.log()).toEqual([]);
    expect(api.log()).toEqual([]);
  });
});
