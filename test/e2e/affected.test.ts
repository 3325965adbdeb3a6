import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readComponentGraph, withDependents, type ComponentGraph } from '@bllvm/manifest';
import { copyWorkspace, type WorkspaceCopy } from '@bllvm/demo';

// Affected must be exact: moving a pin selects that component and its transitive dependents
// (plus the release set), decided by `nx affected` itself in a real git repository.
let ws: WorkspaceCopy;
let graph: ComponentGraph;
let counter = 0;

async function movePins(...components: string[]) {
  for (const c of components) {
    const file = join(ws.dir, 'apps', c, 'pin.toml');
    const text = await readFile(file, 'utf8');
    const next = (++counter).toString(16).padStart(40, 'a');
    await writeFile(file, text.replace(/commit = "[0-9a-f]{40}"/, `commit = "${next}"`));
  }
  await ws.git('commit', '-qam', `move ${components.join(', ')}`);
}

async function affected(): Promise<string[]> {
  const r = await ws.nx('show', 'projects', '--affected', '--base=last-release', '--json');
  expect(r.exitCode, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as string[]).sort();
}

async function resetTo(tag: string) {
  await ws.git('reset', '-q', '--hard', tag);
}

beforeAll(async () => {
  ws = await copyWorkspace();
  graph = await readComponentGraph(ws.dir);
  await ws.git('tag', 'last-release');
});
afterAll(async () => ws?.remove());

describe('nx affected --base=last-release', () => {
  it('is empty when nothing changed', async () => {
    expect(await affected()).toEqual([]);
  });

  it('selects exactly the moved component and its transitive dependents, for each component', async () => {
    expect(graph.components).toHaveLength(10);
    for (const c of graph.components) {
      await resetTo('last-release');
      await movePins(c);
      const expected = [...withDependents(graph, [c]), 'release-set'].sort();
      expect(await affected(), `moving ${c}`).toEqual(expected);
    }
  });

  it('matches the literal expectations for a library below consensus (everything above it), consensus and governance-app (itself)', async () => {
    await resetTo('last-release');
    await movePins('blvm-primitives');
    expect(await affected()).toEqual(
      ['bllvm', 'bllvm-consensus', 'bllvm-node', 'bllvm-protocol', 'bllvm-sdk', 'blvm-primitives', 'governance-app', 'release-set'],
    );
    await resetTo('last-release');
    await movePins('blvm-muhash');
    expect(await affected()).toEqual(['bllvm', 'bllvm-node', 'bllvm-sdk', 'blvm-muhash', 'governance-app', 'release-set']);
    await resetTo('last-release');
    await movePins('bllvm-consensus');
    expect(await affected()).toEqual(
      ['bllvm', 'bllvm-consensus', 'bllvm-node', 'bllvm-protocol', 'bllvm-sdk', 'governance-app', 'release-set'],
    );
    await resetTo('last-release');
    await movePins('governance-app');
    expect(await affected()).toEqual(['governance-app', 'release-set']);
  });

  it('takes the union when two pins move at once', async () => {
    await resetTo('last-release');
    await movePins('bllvm-sdk', 'bllvm');
    expect(await affected()).toEqual(['bllvm', 'bllvm-sdk', 'governance-app', 'release-set']);
  });

  it('is not moved by documentation edits', async () => {
    await resetTo('last-release');
    await writeFile(join(ws.dir, 'README.md'), '# edited\n');
    await ws.git('commit', '-qam', 'docs');
    expect(await affected()).toEqual([]);
  });

  it('plan explains the selection', async () => {
    await resetTo('last-release');
    await movePins('bllvm-protocol');
    const r = await ws.cli('plan', '--base', 'last-release', '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { components: { component: string; build: boolean; reason: string }[] };
    const byName = Object.fromEntries(plan.components.map((p) => [p.component, p]));
    expect(byName['bllvm-protocol']!.reason).toMatch(/^pin moved [0-9a-f]{7} -> [0-9a-f]{7}$/);
    expect(byName['bllvm-node']!.reason).toBe('depends on bllvm-protocol');
    expect(byName['governance-app']!.reason).toBe('depends on bllvm-protocol, bllvm-sdk');
    expect(byName['bllvm-consensus']).toMatchObject({ build: false, reason: 'unchanged' });
    const bad = await ws.cli('plan', '--base', 'no-such-tag');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('unknown revision "no-such-tag"');
  });

  it('plan names the input that took the components when the executor that builds them changed', async () => {
    await resetTo('last-release');
    const file = 'tools/ship/nx-plugin/src/executors/cargo/seed-target.ts';
    await writeFile(join(ws.dir, file), `${await readFile(join(ws.dir, file), 'utf8')}// a change to how every crate is built\n`);
    await ws.git('commit', '-qam', 'cargo executor');
    const r = await ws.cli('plan', '--base', 'last-release', '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { components: { component: string; build: boolean; reason: string }[] };
    const byName = Object.fromEntries(plan.components.map((p) => [p.component, p]));
    expect(byName['blvm-primitives']).toEqual({ component: 'blvm-primitives', build: true, reason: `input cargoExecutor (${file}) changed` });
    expect(byName['bllvm-consensus']!.reason).toBe('depends on blvm-primitives, blvm-spec-lock');
    expect(plan.components.map((p) => p.reason).join('\n')).not.toContain('workspace-wide');
  });
});

describe('before the first release: no last-release tag', () => {
  beforeAll(async () => {
    await resetTo('last-release');
    await ws.git('tag', '-d', 'last-release');
  });

  it('plan builds every component and says why in one line, in each of its forms', async () => {
    const text = await ws.cli('plan', '--base', 'last-release');
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stderr.split('\n').filter((l) => l.includes('last-release'))).toEqual([
      'no last-release tag here yet (nothing released from this repository, or its tags not fetched): every component builds',
    ]);
    expect(text.stdout).toContain('plan since last-release (none yet):');
    expect(text.stdout).toContain(`${graph.components.length} of ${graph.components.length} components to build`);
    const json = await ws.cli('plan', '--base', 'last-release', '--json');
    expect(json.exitCode, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as { baseCommit: string | null; components: { build: boolean; reason: string }[] };
    expect(plan.baseCommit).toBeNull();
    expect(plan.components.every((p) => p.build && p.reason === 'new: no last-release yet')).toBe(true);
    const outputs = await ws.cli('plan', '--base', 'last-release', '--outputs');
    expect(outputs.exitCode, outputs.stderr).toBe(0);
    expect(outputs.stdout.trim().split('\n')).toEqual(['builds=true', 'perf=true', 'docker=true']);
  });

  it('build --base last-release selects every component, saying so, and another missing base is still refused', async () => {
    // The docker class has no test task: the selection is made and reported, and nothing is built.
    const r = await ws.cli('build', '--base', 'last-release', '--targets', 'test', '--runner-class', 'docker');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('no last-release tag here yet');
    expect(r.stdout).toContain(`no docker task among test of ${graph.components.join(', ')}; nothing to do`);
    const bad = await ws.cli('build', '--base', 'no-such-tag', '--targets', 'test');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('unknown revision "no-such-tag"');
  });
});
