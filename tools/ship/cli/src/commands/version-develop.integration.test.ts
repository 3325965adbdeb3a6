import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CargoRegistry, buildCrate, startCargoRegistry } from '@bllvm/cargo-registry';
import { DEVELOP_SET_FILE, RegistryClient, readDevelopSet } from '@bllvm/crates';
import { formatPin } from '@bllvm/manifest';
import { runCli } from '../main';

// `version --develop` against real git repositories (file://) and the local cargo registry: the
// seeds (leaf up to 0.2.0, mid 0.3.1) plus leaf 0.2.1-dev.1 (yanked) and 0.2.1-dev.2, as two
// earlier nightlies left them. versions.toml stays as it is; the set goes to dist/.

const GIT = ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false'];
const OWNER = 'Test';
const REPOS = [
  { id: 'leaf', deps: [] as string[], cargo: '[package]\nname = "leaf"\nversion = "0.1.3"\nedition = "2021"\n' },
  { id: 'mid', deps: ['leaf'], cargo: '[package]\nname = "mid"\nversion = "0.3.1"\n\n[dependencies]\nleaf = { version = "0.1", path = "../leaf" } # the leaf\n' },
];
const VERSIONS = [
  '[versions]',
  'leaf = { version = "0.1.3", git_tag = "v0.1.3", git_commit = "" }',
  'mid = { version = "0.3.1", git_tag = "v0.3.1", git_commit = "", requires = ["leaf=0.1.3"] }',
  '',
].join('\n');

let tmp: string;
let ws: string;
let registry: CargoRegistry;

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await execa('git', [...GIT, ...args], { cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } })).stdout.trim();
}

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    cwd: ws,
    env: { PATH: process.env.PATH, BLLVM_GIT_BASE_URL: `file://${join(tmp, 'org')}/`, BLLVM_WORK_DIR: join(tmp, 'bllvm-work'), BLLVM_CARGO_REGISTRY: registry.indexUrl },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bllvm-version-develop-'));
  registry = await startCargoRegistry({ seed: true });
  const client = new RegistryClient({ indexUrl: registry.indexUrl, token: 't' });
  for (const version of ['0.2.1-dev.1', '0.2.1-dev.2']) {
    const manifest = `[package]\nname = "leaf"\nversion = "${version}"\nedition = "2021"\ndescription = "d"\nlicense = "MIT"\n`;
    await client.publish(buildCrate('leaf', version, [{ path: 'Cargo.toml', data: Buffer.from(manifest) }, { path: 'src/lib.rs', data: Buffer.from('') }]), `leaf-${version}.crate`);
  }
  await client.yank('leaf', '0.2.1-dev.1');
  ws = join(tmp, 'ws');
  await mkdir(ws, { recursive: true });
  await writeFile(join(ws, 'nx.json'), '{}\n');
  await writeFile(join(ws, 'versions.toml'), VERSIONS);
  for (const r of REPOS) {
    const work = join(tmp, 'work', r.id);
    await mkdir(work, { recursive: true });
    await writeFile(join(work, 'Cargo.toml'), r.cargo);
    await git(work, 'init', '--quiet');
    await git(work, 'add', '-A');
    await git(work, 'commit', '--quiet', '-m', r.id);
    await git(tmp, 'clone', '--quiet', '--bare', work, join(tmp, 'org', OWNER, `${r.id}.git`));
    await mkdir(join(ws, 'apps', r.id), { recursive: true });
    await writeFile(join(ws, 'apps', r.id, 'project.json'), JSON.stringify({ name: r.id, tags: ['component', 'kind:library'], implicitDependencies: r.deps }));
    await writeFile(join(ws, 'apps', r.id, 'pin.toml'), formatPin({ repository: `${OWNER}/${r.id}`, branch: 'main', commit: await git(work, 'rev-parse', 'HEAD') }));
  }
});

afterAll(async () => {
  await registry?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const SET = DEVELOP_SET_FILE;

describe('version --develop', () => {
  it('--dry-run --json: X.Y.Z-dev.N past every dev.N the registry had, requirements made to admit it, nothing written', async () => {
    const r = await cli(['version', '--develop', '--dry-run', '--json']);
    expect(r.code, r.err).toBe(0);
    const plan = JSON.parse(r.out) as { set: unknown; requirements: { component: string; action: string; from: string; to: string }[]; developSet: unknown; components: { why: string }[] };
    expect(plan.set).toEqual([
      { component: 'leaf', crate: 'leaf', version: '0.2.1-dev.3' },
      { component: 'mid', crate: 'mid', version: '0.3.2-dev.1' },
    ]);
    expect(plan.components[0]!.why).toMatch(/^after 0\.2\.1-dev\.2 \(the highest on the registry\); 0\.2\.1 is the next release/);
    expect(plan.requirements.map((q) => [q.component, q.action, q.from, q.to])).toEqual([['mid', 'rewrite', '0.1', '0.2.1-dev.3']]);
    expect(plan.developSet).toEqual({ file: SET, written: false });
    expect(await readDevelopSet(join(ws, SET))).toBeUndefined();
    expect(await readFile(join(ws, 'versions.toml'), 'utf8')).toBe(VERSIONS);
  });

  it('writes the set to dist/ in chain order and leaves versions.toml alone', async () => {
    const r = await cli(['version', '--develop']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^leaf +leaf +0\.1\.3 +0\.2\.1-dev\.3 +after 0\.2\.1-dev\.2/m);
    expect(r.out).toContain('    [dependencies] leaf: "0.1" → "0.2.1-dev.3" ("0.1" does not admit 0.2.1-dev.3)');
    expect(r.out).toContain(`${SET} written (the develop set, in chain order); versions.toml is untouched`);
    expect(await readFile(join(ws, 'versions.toml'), 'utf8')).toBe(VERSIONS);
    const set = await readDevelopSet(join(ws, SET));
    expect(set).toEqual({
      schema: 1,
      kind: 'develop',
      registry: registry.indexUrl,
      crates: [
        { component: 'leaf', crate: 'leaf', version: '0.2.1-dev.3' },
        { component: 'mid', crate: 'mid', version: '0.3.2-dev.1' },
      ],
    });
  });
});
