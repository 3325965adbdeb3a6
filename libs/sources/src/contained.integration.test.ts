import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertContained, containmentProblems } from './contained';
import { containmentKey } from './containment-marker';
import type { Checked } from './containment';

// Real checkouts (git repositories side by side under sources/) and real cargo in the build
// sandbox: the hostile layouts each way out of the checkouts takes.

let work: string;
const crate = (name: string, extra = '') => `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${extra}`;

async function repo(name: string, files: Record<string, string>, links: Record<string, string> = {}): Promise<Checked> {
  const dir = join(work, 'sources', name);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  for (const [path, target] of Object.entries(links)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await symlink(target, join(dir, path));
  }
  const git = (...args: string[]) => execa('git', args, { cwd: dir, env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  await git('init', '-q');
  await git('add', '--all');
  await git('commit', '-qm', 'c');
  return { component: name, dir, crateDir: ".", commit: (await git('rev-parse', 'HEAD')).stdout.trim() };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'contained-'));
  // A real crate just outside the sources folder: the code no pin records.
  await mkdir(join(work, 'outside', 'src'), { recursive: true });
  await writeFile(join(work, 'outside', 'Cargo.toml'), crate('outside'));
  await writeFile(join(work, 'outside', 'src', 'lib.rs'), '');
});
afterAll(async () => rm(work, { recursive: true, force: true }));

const cfg = () => ({ gitBaseUrl: 'file:///unused/', workDir: work });

describe('containmentProblems', () => {
  it('accepts a checkout whose nested crate and sibling path dependency stay inside (control)', async () => {
    const up = await repo('up', { 'Cargo.toml': crate('up'), 'src/lib.rs': '' });
    const me = await repo('me', {
      'Cargo.toml': crate('me', '[dependencies]\nup = { path = "../up" }\nsub = { path = "sub" }\n'),
      'src/lib.rs': '',
      'sub/Cargo.toml': crate('sub'),
      'sub/src/lib.rs': '',
    });
    expect(await containmentProblems(cfg(), [up, me])).toEqual([]);
  }, 60_000);

  it('reports every way out of every checkout in one run, with file and line', async () => {
    const nested = await repo('nested', {
      'Cargo.toml': crate('nested', '[dependencies]\nsub = { path = "sub" }\n'),
      'src/lib.rs': '',
      'sub/Cargo.toml': crate('sub', '\n[dependencies]\nout = { path = "../../../outside" }\n'),
      'sub/src/lib.rs': '',
    });
    const member = await repo('member', { 'Cargo.toml': crate('member', '[workspace]\nmembers = [".", "../../outside"]\n'), 'src/lib.rs': '' });
    const replaced = await repo('replaced', { 'Cargo.toml': crate('replaced', '[replace]\n"serde:1.0.0" = { path = "../../outside" }\n'), 'src/lib.rs': '' });
    const config = await repo('config', { 'Cargo.toml': crate('config'), 'src/lib.rs': '', '.cargo/config.toml': 'paths = ["../../outside"]\n\n[build]\njobs = 1\n' });
    const problems = await containmentProblems(cfg(), [nested, member, replaced, config]);
    const out = problems.join('\n');
    expect(out).toMatch(/^nested@\w{7}: sub\/Cargo\.toml:7: path dependency "out" \(dependencies\) = "\.\.\/\.\.\/\.\.\/outside" resolves to \S+\/outside, outside the checkouts/m);
    expect(out).toMatch(/^member@\w{7}: Cargo\.toml:6: workspace member = "\.\.\/\.\.\/outside"/m);
    expect(problems.filter((p) => p.startsWith('member@')), 'cargo\'s own stop on the same member adds nothing').toHaveLength(1);
    expect(out).toMatch(/^replaced@\w{7}: Cargo\.toml:6: \[replace\] entry "serde:1\.0\.0" = "\.\.\/\.\.\/outside"/m);
    expect(out).toMatch(/^config@\w{7}: \.cargo\/config\.toml:1: path override \(paths\) = "\.\.\/\.\.\/outside"/m);
  }, 120_000);

  it('reads every local package cargo resolved as it reads the root: a nested crate whose [lib] source lies outside', async () => {
    const lib = await repo('nested-lib', {
      'Cargo.toml': crate('nested-lib', '[dependencies]\nsub = { path = "sub" }\n'),
      'src/lib.rs': '',
      'sub/Cargo.toml': crate('sub', '[lib]\npath = "../../../outside/src/lib.rs"\n'),
    });
    const problems = await containmentProblems(cfg(), [lib]);
    expect(problems.join('\n')).toMatch(/^nested-lib@\w{7}: sub\/Cargo\.toml:6: lib = "\.\.\/\.\.\/\.\.\/outside\/src\/lib\.rs" resolves to \S+\/outside\/src\/lib\.rs, outside/m);
    expect(problems.join('\n')).toMatch(/^nested-lib@\w{7}: \/src\/nested-lib\/sub\/Cargo\.toml: target "sub" source resolves to \/outside\/src\/lib\.rs in the build sandbox, outside the checkouts/m);
  }, 60_000);

  it('checks a crate in a subfolder of its repository: ../../ siblings are fine, a config above the crate that leads out is not', async () => {
    const up = await repo('sub-up', { 'Cargo.toml': crate('sub-up'), 'src/lib.rs': '' });
    const app = await repo('sub-app', {
      'app/Cargo.toml': crate('sub-app', '[dependencies]\nsub-up = { version = ">=0.1, <1" }\n\n[patch.crates-io]\nsub-up = { path = "../../sub-up" }\n'),
      'app/src/lib.rs': '',
    });
    expect(await containmentProblems(cfg(), [up, { ...app, crateDir: 'app' }])).toEqual([]);
    const leaky = await repo('sub-leaky', {
      'app/Cargo.toml': crate('sub-leaky'),
      'app/src/lib.rs': '',
      '.cargo/config.toml': 'paths = ["../../outside"]\n',
    });
    const problems = await containmentProblems(cfg(), [{ ...leaky, crateDir: 'app' }]);
    expect(problems.join('\n')).toMatch(/^sub-leaky@\w{7}: \.cargo\/config\.toml:1: path override \(paths\) = "\.\.\/\.\.\/outside"/m);
  }, 120_000);

  it('reports symlinks leaving the checkout from nested folders, of every checkout', async () => {
    const a = await repo('links-a', { 'Cargo.toml': crate('links-a'), 'src/lib.rs': '' }, { 'src/deep/er/data.rs': '../../../../../outside/src/lib.rs' });
    const b = await repo('links-b', { 'Cargo.toml': crate('links-b'), 'src/lib.rs': '' }, { 'assets/x/passwd': '/etc/passwd' });
    const problems = await containmentProblems(cfg(), [a, b]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^links-a@\w{7}: src\/deep\/er\/data\.rs is a symlink to .*outside the checkout/);
    expect(problems[1]).toMatch(/^links-b@\w{7}: assets\/x\/passwd is a symlink to "\/etc\/passwd", outside the checkout/);
  }, 60_000);

  it('mounts a sibling that only a nested manifest names, so that manifest is still read and checked', async () => {
    // Each probe mounts only what the crate's root manifest reaches; cargo asks for `far` through
    // `sub`, and only a run that has it gets far enough to report sub's way out.
    const far = await repo('far', { 'Cargo.toml': crate('far'), 'src/lib.rs': '' });
    const unrelated = await repo('unrelated', { 'Cargo.toml': crate('unrelated'), 'src/lib.rs': '' });
    const reach = await repo('reach', {
      'Cargo.toml': crate('reach', '[dependencies]\nsub = { path = "sub" }\n'),
      'src/lib.rs': '',
      'sub/Cargo.toml': crate('sub', '[lib]\npath = "../../../outside/src/lib.rs"\n\n[dependencies]\nfar = { path = "../../far" }\n'),
    });
    const problems = await containmentProblems(cfg(), [far, unrelated, reach]);
    expect(problems.join('\n')).toMatch(/^reach@\w{7}: \/src\/reach\/sub\/Cargo\.toml: target "sub" source resolves to \/outside\/src\/lib\.rs in the build sandbox/m);
  }, 60_000);
});

describe('assertContained keeps each pass per set of checkouts', () => {
  it('a passed set is not probed again; a failing one leaves no marker and fails every time', async () => {
    const up = await repo('kept-up', { 'Cargo.toml': crate('kept-up'), 'src/lib.rs': '' });
    const me = await repo('kept-me', { 'Cargo.toml': crate('kept-me', '[dependencies]\nkept-up = { path = "../kept-up" }\n'), 'src/lib.rs': '' });
    const marker = join(work, 'containment', containmentKey([up, me]));
    await assertContained(cfg(), [me, up]);
    expect(existsSync(marker)).toBe(true);
    const leaky = await repo('kept-leaky', { 'Cargo.toml': crate('kept-leaky', '[dependencies]\nout = { path = "../../outside" }\n'), 'src/lib.rs': '' });
    for (let i = 0; i < 2; i++) await expect(assertContained(cfg(), [leaky])).rejects.toThrow(/outside/);
    expect(existsSync(join(work, 'containment', containmentKey([leaky])))).toBe(false);
  }, 60_000);
});

describe('assertContained keeps each checkout\'s pass on its own', () => {
  it('a checkout probed in its own set is not probed again in a larger one; one that now reaches a new sibling is; a leak is still refused', async () => {
    const base = await repo('own-base', { 'Cargo.toml': crate('own-base'), 'src/lib.rs': '' });
    const mid = await repo('own-mid', { 'Cargo.toml': crate('own-mid', '[dependencies]\nown-base = { path = "../own-base" }\n'), 'src/lib.rs': '' });
    expect(await assertContained(cfg(), [base])).toEqual({ probed: ['own-base'] });
    expect(await assertContained(cfg(), [base, mid])).toEqual({ probed: ['own-mid'] });
    // A new set of both again probes nothing: the set's own marker, and each checkout's.
    const top = await repo('own-top', { 'Cargo.toml': crate('own-top', '[dependencies]\nown-mid = { path = "../own-mid" }\n'), 'src/lib.rs': '' });
    expect(await assertContained(cfg(), [base, mid, top])).toEqual({ probed: ['own-top'] });
    // named depends by name on a crate no checkout provides (cargo cannot resolve it offline: not a way out, a pass).
    // Once a sibling provides it, the build would patch that sibling in and read it: named is probed again.
    const named = await repo('own-named', { 'Cargo.toml': crate('own-named', '[dependencies]\nown-leaf = "0.1"\n'), 'src/lib.rs': '' });
    expect(await assertContained(cfg(), [named])).toEqual({ probed: ['own-named'] });
    const leaf = await repo('own-leaf', { 'Cargo.toml': crate('own-leaf'), 'src/lib.rs': '' });
    expect(await assertContained(cfg(), [named, leaf])).toEqual({ probed: ['own-named', 'own-leaf'] });
    // Passes kept for the others never let a new checkout's way out through.
    const leaky = await repo('own-leaky', { 'Cargo.toml': crate('own-leaky', '[dependencies]\nout = { path = "../../outside" }\n'), 'src/lib.rs': '' });
    await expect(assertContained(cfg(), [base, mid, leaky])).rejects.toThrow(/^own-leaky@\w{7}: Cargo\.toml:\d+: path dependency "out"/);
  }, 60_000);
});
