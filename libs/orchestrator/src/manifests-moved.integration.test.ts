import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pin } from '@bllvm/manifest';
import { paths } from '@bllvm/sources';
import { movesMayChangeGraph } from './manifests-moved';

let dir: string;
const cfg = () => ({ gitBaseUrl: 'file:///nowhere/', workDir: join(dir, 'work') });
const commits: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bllvm-manifests-moved-'));
  const repo = join(dir, 'repo');
  await mkdir(join(repo, 'src'), { recursive: true });
  const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo });
  await git('init', '-q', '-b', 'main');
  const commit = async (name: string, files: Record<string, string>) => {
    for (const [f, text] of Object.entries(files)) {
      await mkdir(join(repo, f, '..'), { recursive: true });
      await writeFile(join(repo, f), text);
    }
    await git('add', '-A');
    await git('commit', '-qm', name);
    commits[name] = (await git('rev-parse', 'HEAD')).stdout;
  };
  await commit('first', { 'Cargo.toml': '[package]\nname = "c"\nversion = "0.1.0"\n', 'src/lib.rs': '' });
  await commit('source', { 'src/lib.rs': 'pub fn f() {}\n' });
  await commit('nested-manifest', { 'sub/Cargo.toml': '[package]\nname = "s"\nversion = "0.1.0"\n' });
  await commit('root-manifest', { 'Cargo.toml': '[package]\nname = "c"\nversion = "0.1.0"\n[dependencies]\ns = { path = "sub" }\n' });
  await execa('git', ['clone', '-q', '--mirror', repo, paths.mirror(cfg(), 'O/c')]);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const move = (from: string, to: string, adopted?: Pin) => ({ component: 'c', repository: 'O/c', from: commits[from] ?? from, to: commits[to] ?? to, ...(adopted ? { adopted } : {}) });

describe('whether pin moves can change the graph', () => {
  it('not when no Cargo.toml of the repository differs between the two commits', async () => {
    expect(await movesMayChangeGraph(cfg(), [move('first', 'source')])).toBe(false);
    expect(await movesMayChangeGraph(cfg(), [])).toBe(false);
  });

  it('yes when a manifest changed, at the root or below it, or across several moves', async () => {
    expect(await movesMayChangeGraph(cfg(), [move('source', 'nested-manifest')])).toBe(true);
    expect(await movesMayChangeGraph(cfg(), [move('nested-manifest', 'root-manifest')])).toBe(true);
    expect(await movesMayChangeGraph(cfg(), [move('first', 'source'), move('first', 'root-manifest')])).toBe(true);
  });

  it('yes when the pin follows a rename, or git cannot tell', async () => {
    const adopted = { repository: 'O/c2', branch: 'main', commit: commits.source! } as Pin;
    expect(await movesMayChangeGraph(cfg(), [move('first', 'source', adopted)])).toBe(true);
    expect(await movesMayChangeGraph(cfg(), [move('first', 'f'.repeat(40))])).toBe(true);
    expect(await movesMayChangeGraph(cfg(), [{ ...move('first', 'source'), repository: 'O/missing' }])).toBe(true);
  });
});
