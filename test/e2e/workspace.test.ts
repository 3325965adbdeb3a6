import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readComponentGraph } from '@bllvm/manifest';
import { WORKSPACE_ROOT } from '@bllvm/demo';

// The workspace as maintainers see it through Nx: projects, the graph, one Nx version.
const env = { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' };
const nx = (...args: string[]) => execa('npx', ['nx', ...args], { cwd: WORKSPACE_ROOT, env });
// The committed stack is the real one (REAL-STACK.md §7): the seed's six project names on the renamed
// repositories, and the four libraries below consensus.
const COMPONENTS = ['bllvm', 'bllvm-consensus', 'bllvm-node', 'bllvm-protocol', 'bllvm-sdk', 'blvm-muhash', 'blvm-primitives', 'blvm-secp256k1', 'blvm-spec-lock', 'governance-app'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bllvm-graph-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('the Nx workspace', () => {
  it('lists the ten components and the release set', async () => {
    const projects = JSON.parse((await nx('show', 'projects', '--json')).stdout) as string[];
    for (const p of [...COMPONENTS, 'release-set']) expect(projects).toContain(p);
    const components = JSON.parse((await nx('show', 'projects', '--projects=tag:component', '--json')).stdout) as string[];
    expect(components.sort()).toEqual(COMPONENTS);
    const images = JSON.parse((await nx('show', 'projects', '--projects=tag:kind:image', '--json')).stdout) as string[];
    expect(images).toEqual(['governance-app']);
  });

  it('has exactly the real Cargo graph between components (REAL-STACK.md §2), plus the release set on all ten', async () => {
    const file = join(dir, 'graph.json');
    await nx('graph', `--file=${file}`);
    const graph = JSON.parse(await readFile(file, 'utf8')) as { graph: { dependencies: Record<string, { target: string }[]> } };
    const edges = Object.entries(graph.graph.dependencies)
      .flatMap(([from, deps]) => deps.map((d) => `${from} -> ${d.target}`))
      .filter((e) => [...COMPONENTS, 'release-set'].includes(e.split(' -> ')[0]!))
      .sort();
    expect(edges).toEqual(
      [
        'bllvm-consensus -> blvm-primitives',
        'bllvm-consensus -> blvm-spec-lock',
        'bllvm-protocol -> bllvm-consensus',
        'bllvm-protocol -> blvm-secp256k1',
        'bllvm-node -> bllvm-protocol',
        'bllvm-node -> blvm-muhash',
        'bllvm-node -> blvm-secp256k1',
        'bllvm -> bllvm-node',
        'bllvm-sdk -> bllvm-node',
        'governance-app -> bllvm-sdk',
        'governance-app -> bllvm-protocol',
        ...COMPONENTS.map((c) => `release-set -> ${c}`),
      ].sort(),
    );
    // The CLI reads the same graph straight from project.json.
    const g = await readComponentGraph(WORKSPACE_ROOT);
    expect(g.components).toEqual(['blvm-primitives', 'blvm-spec-lock', 'bllvm-consensus', 'blvm-secp256k1', 'bllvm-protocol', 'blvm-muhash', 'bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app']);
  });

  it('runs one Nx version', async () => {
    // Nx colours its report when it thinks it is in CI; compare the text.
    const report = (await nx('report')).stdout.replace(/\x1b\[[0-9;]*m/g, '');
    const versions = [...report.matchAll(/^(nx|@nx\/[a-z-]+)\s+:\s+(\S+)/gm)].map((m) => [m[1], m[2]]);
    expect(versions.map(([name]) => name)).toEqual(expect.arrayContaining(['nx', '@nx/js', '@nx/workspace', '@nx/devkit']));
    expect(new Set(versions.map(([, v]) => v))).toEqual(new Set(['23.3.1']));
    expect(report).not.toMatch(/multiple|mismatch|different versions/i);
    const pkg = JSON.parse(await readFile(join(WORKSPACE_ROOT, 'package.json'), 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string> };
    expect(pkg.engines.node).toBe('>=20.19');
    for (const name of ['nx', '@nx/js', '@nx/workspace', '@nx/devkit']) expect(pkg.devDependencies[name]).toBe('23.3.1');
  });

  it('passes its own check, and the CLI answers --help on every command', async () => {
    const cli = (...args: string[]) => execa(process.execPath, ['tools/ship/cli/bin/bllvm-release.cjs', ...args], { cwd: WORKSPACE_ROOT, reject: false });
    const check = await cli('check', '--offline');
    expect(check.exitCode, check.stderr).toBe(0);
    const { commands } = await import('@bllvm/cli');
    for (const c of commands) {
      const r = await cli(c.name, '--help');
      expect(r.exitCode, c.name).toBe(0);
      expect(r.stdout).toContain(`usage: bllvm-release ${c.name}`);
    }
    const usage = await cli('pin');
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toMatch(/expected <component> <commit>/);
    const unknown = await cli('frobnicate');
    expect(unknown.exitCode).toBe(2);
  });
});
