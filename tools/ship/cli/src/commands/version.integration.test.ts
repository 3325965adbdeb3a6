import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CargoRegistry, startCargoRegistry } from '@bllvm/cargo-registry';
import { formatPin, parseVersions } from '@bllvm/manifest';
import { runCli } from '../main';

// `version` against real git repositories (file://) and the local cargo registry, seeded with
// leaf 0.1.0, 0.1.3, 0.1.4 (yanked), 0.2.0 and mid 0.3.1. versions.toml says leaf 0.1.3, so the
// naive next patch, 0.1.4, is a version the registry once had: the plan must go past every used one.
// Nothing is published.

const GIT = ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false'];
const OWNER = 'Test';

interface Repo {
  id: string;
  files: Record<string, string>;
  deps?: string[];
  crateDir?: string;
}

const REPOS: Repo[] = [
  { id: 'leaf', files: { 'Cargo.toml': '[package]\nname = "leaf"\nversion = "0.1.3" # as in versions.toml\nedition = "2021"\n' } },
  {
    id: 'mid',
    deps: ['leaf'],
    files: {
      'Cargo.toml': [
        '[package]',
        'name = "mid"',
        'version = "0.3.1"',
        '',
        '[dependencies]',
        'leaf = { version = "0.1", path = "../leaf" } # the leaf',
        '',
        '[patch.crates-io]',
        'leaf = { path = "../leaf" }',
        '',
      ].join('\n'),
    },
  },
  { id: 'fresh', deps: ['mid'], files: { 'Cargo.toml': '[package]\nname = "bllvm-fresh-crate"\nversion = "0.1.0"\n\n[dependencies]\nmid = ">=0.3, <1"\n' } },
];

const VERSIONS = [
  '# The official release set.',
  '[versions]',
  'leaf = { version = "0.1.3", git_tag = "v0.1.3", git_commit = "" }',
  'mid = { version = "0.3.0", git_tag = "v0.3.0", git_commit = "", requires = ["leaf=0.1.3"] } # behind the registry',
  'fresh = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "", requires = ["mid=0.3.0"] }',
  '',
  '[metadata]',
  'updated_by = "hand"',
  '',
].join('\n');

let tmp: string;
let registry: CargoRegistry;
const heads: Record<string, string> = {};

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await execa('git', [...GIT, ...args], { cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } })).stdout.trim();
}

/** A bare repository holding one commit of `files`; returns the commit. */
async function makeRepo(name: string, files: Record<string, string>): Promise<string> {
  const work = join(tmp, 'work', name);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(work, path, '..'), { recursive: true });
    await writeFile(join(work, path), text);
  }
  await git(work, 'init', '--quiet');
  await git(work, 'add', '-A');
  await git(work, 'commit', '--quiet', '-m', `${name}`);
  await git(tmp, 'clone', '--quiet', '--bare', work, join(tmp, 'org', OWNER, `${name}.git`));
  return git(work, 'rev-parse', 'HEAD');
}

/** A workspace of `repos` (project.json, pin.toml) and `versions`; returns its folder. */
async function makeWorkspace(name: string, repos: readonly Repo[], versions: string): Promise<string> {
  const ws = join(tmp, name);
  await mkdir(ws, { recursive: true });
  await writeFile(join(ws, 'nx.json'), '{}\n');
  await writeFile(join(ws, 'versions.toml'), versions);
  for (const r of repos) {
    await mkdir(join(ws, 'apps', r.id), { recursive: true });
    await writeFile(join(ws, 'apps', r.id, 'project.json'), JSON.stringify({ name: r.id, tags: ['component', 'kind:library'], implicitDependencies: r.deps ?? [] }));
    await writeFile(join(ws, 'apps', r.id, 'pin.toml'), formatPin({ repository: `${OWNER}/${r.id}`, branch: 'main', commit: heads[r.id]!, ...(r.crateDir ? { crateDir: r.crateDir } : {}) }));
  }
  return ws;
}

async function cli(ws: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    cwd: ws,
    env: { PATH: process.env.PATH, BLLVM_GIT_BASE_URL: `file://${join(tmp, 'org')}/`, BLLVM_WORK_DIR: join(tmp, 'bllvm-work'), BLLVM_CARGO_REGISTRY: registry.indexUrl, ...env },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let ws: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bllvm-version-'));
  registry = await startCargoRegistry({ seed: true });
  for (const r of REPOS) heads[r.id] = await makeRepo(r.id, r.files);
  heads.inherits = await makeRepo('inherits', {
    'Cargo.toml': '[workspace]\nmembers = ["crates/inherits"]\n\n[workspace.package]\nversion = "0.5.0"\n',
    'crates/inherits/Cargo.toml': '[package]\nname = "inherits"\nversion.workspace = true\n',
  });
  ws = await makeWorkspace('ws', REPOS, VERSIONS);
});

afterAll(async () => {
  await registry?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

interface JsonPlan {
  registry: string;
  dryRun: boolean;
  components: { component: string; crate: string; from: string; to: string; bump: string; breaking: boolean; why: string }[];
  requirements: { component: string; dependency: string; action: string; from?: string; to?: string; why: string }[];
  manifests: Record<string, { file: string; changed: string[]; leftAlone: string[] }>;
  versionsFile: { changed: string[]; written: boolean };
}

describe('version', () => {
  it('--dry-run --json: past every used version, downstream requirements rewritten where they must be, nothing written or published', async () => {
    registry.clearLog();
    const r = await cli(ws, ['version', '--dry-run', '--json']);
    expect(r.code, r.err).toBe(0);
    const plan = JSON.parse(r.out) as JsonPlan;
    expect(plan.registry).toBe(registry.indexUrl);
    expect(plan.components.map((c) => [c.component, c.crate, c.from, c.to])).toEqual([
      ['leaf', 'leaf', '0.1.3', '0.2.1'],
      ['mid', 'mid', '0.3.0', '0.3.2'],
      ['fresh', 'bllvm-fresh-crate', '0.1.0', '0.1.1'],
    ]);
    expect(plan.components.map((c) => c.why)).toEqual([
      'patch after 0.2.0 (the highest on the registry); yanked 0.1.4 still used',
      'patch after 0.3.1 (the highest on the registry); its Cargo.toml says 0.3.1',
      'patch after 0.1.0 (versions.toml); never published',
    ]);
    // Never a version the registry had, yanked ones included.
    const had = (crate: string) => registry.state.info(crate).versions.map((v) => `${v.num}${v.yanked ? ' yanked' : ''}`);
    expect(had('leaf')).toEqual(['0.2.0', '0.1.4 yanked', '0.1.3', '0.1.0']);
    for (const c of plan.components.slice(0, 2)) expect(had(c.crate).map((v) => v.split(' ')[0])).not.toContain(c.to);
    expect(plan.requirements.map((q) => [q.component, q.dependency, q.action, q.from, q.to])).toEqual([
      ['mid', 'leaf', 'rewrite', '0.1', '0.2'],
      ['fresh', 'mid', 'keep', '>=0.3, <1', undefined],
    ]);
    expect(plan.manifests.mid).toEqual({
      file: `${OWNER}/mid@${heads.mid!.slice(0, 7)}:Cargo.toml`,
      changed: ['[package] version: "0.3.1" → "0.3.2"', '[dependencies] leaf: "0.1" → "0.2" ("0.1" does not admit 0.2.1)'],
      leftAlone: [],
    });
    expect(plan.versionsFile.written).toBe(false);
    expect(await readFile(join(ws, 'versions.toml'), 'utf8')).toBe(VERSIONS);
    // The registry was only read: one index file per crate.
    expect(registry.log().map((l) => `${l.method} ${l.path} ${l.status}`).sort()).toEqual([
      'GET /index/3/m/mid 200',
      'GET /index/bl/lv/bllvm-fresh-crate 404',
      'GET /index/le/af/leaf 200',
    ]);
  });

  it('--dry-run prints the table and the Cargo.toml changes, and says nothing is written', async () => {
    const r = await cli(ws, ['version', '--dry-run', '--minor', 'mid']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^component +crate +from +to +why$/m);
    expect(r.out).toMatch(/^leaf +leaf +0\.1\.3 +0\.2\.1 +patch after 0\.2\.0/m);
    expect(r.out).toMatch(/^mid +mid +0\.3\.0 +0\.4\.0 +minor \(breaking under 0\.x\) after 0\.3\.1/m);
    expect(r.out).toContain('    [dependencies] leaf: "0.1" → "0.2" ("0.1" does not admit 0.2.1)');
    expect(r.out).toContain('1 internal requirement already admits the new version and stays as written');
    expect(r.out).toMatch(/dry run: nothing written \(versions\.toml would change 3 entries\)$/);
    expect(await readFile(join(ws, 'versions.toml'), 'utf8')).toBe(VERSIONS);
  });

  it('writes versions.toml (comments and metadata kept) and leaves the component repositories alone', async () => {
    const mine = await makeWorkspace('ws-write', REPOS, VERSIONS);
    const r = await cli(mine, ['version', '--major', 'Test/mid']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('versions.toml written; the component repositories are untouched');
    const text = await readFile(join(mine, 'versions.toml'), 'utf8');
    expect(text).toBe(
      VERSIONS.replace('leaf = { version = "0.1.3", git_tag = "v0.1.3"', 'leaf = { version = "0.2.1", git_tag = "v0.2.1"')
        .replace('mid = { version = "0.3.0", git_tag = "v0.3.0", git_commit = "", requires = ["leaf=0.1.3"] }', 'mid = { version = "1.0.0", git_tag = "v1.0.0", git_commit = "", requires = ["leaf=0.2.1"] }')
        .replace('fresh = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "", requires = ["mid=0.3.0"] }', 'fresh = { version = "0.1.1", git_tag = "v0.1.1", git_commit = "", requires = ["mid=1.0.0"] }'),
    );
    expect(parseVersions(text, 'versions.toml').buildOrder).toEqual(['leaf', 'mid', 'fresh']);
    expect(r.out).toContain('[dependencies] mid: ">=0.3, <1" → ">=1.0, <2"');
    for (const repo of REPOS) expect(await git(join(tmp, 'org', OWNER, `${repo.id}.git`), 'rev-parse', 'main')).toBe(heads[repo.id]);
    expect(registry.log().filter((l) => l.method !== 'GET')).toEqual([]);
  });

  it('refuses an unknown component, naming the option and the known ones', async () => {
    const r = await cli(ws, ['version', '--minor', 'nope', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^bllvm-release version: --minor: unknown component "nope" \(known: leaf, mid, fresh;/);
  });

  it('refuses one component named by both --minor and --major', async () => {
    const r = await cli(ws, ['version', '--minor', 'mid', '--major', 'mid']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('mid is named by both --minor and --major; pass one');
  });

  it('fails in one line naming an unreachable registry, writing nothing', async () => {
    const port = await closedPort();
    const index = `sparse+http://127.0.0.1:${port}/index/`;
    const r = await cli(ws, ['version'], { BLLVM_CARGO_REGISTRY: index });
    expect(r.code).toBe(1);
    const failure = r.err.split('\n').filter((l) => l.startsWith('bllvm-release version:'));
    expect(failure).toHaveLength(1);
    expect(failure[0]).toMatch(new RegExp(`^bllvm-release version: cannot reach the cargo registry ${index.replace(/[.+]/g, '\\$&')} \\(reading leaf's versions\\): .*ECONNREFUSED`));
    expect(await readFile(join(ws, 'versions.toml'), 'utf8')).toBe(VERSIONS);
  });

  it('refuses a component whose crate takes its version from its workspace', async () => {
    const repos = [...REPOS, { id: 'inherits', crateDir: 'crates/inherits' }] as Repo[];
    const mine = await makeWorkspace('ws-inherits', repos, `${VERSIONS.replace('[metadata]', 'inherits = { version = "0.5.0", git_tag = "v0.5.0" }\n\n[metadata]')}`);
    const r = await cli(mine, ['version', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `bllvm-release version: inherits: ${OWNER}/inherits@${heads.inherits!.slice(0, 7)}:crates/inherits/Cargo.toml: version.workspace = true: the crate takes its version from its workspace`,
    );
  });

  it('--help says it leaves the component repositories alone', async () => {
    const r = await cli(ws, ['version', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('It does NOT\n  touch the component repositories');
  });
});

/** A port on 127.0.0.1 nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
