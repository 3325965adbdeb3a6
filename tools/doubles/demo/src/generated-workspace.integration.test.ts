// A generated stack adopted through `bllvm-release import` and `nx sync`: the graph Nx ends up with
// (derived by the graph-sync generator from what cargo reads of the pinned manifests) is the DAG
// the generator made, and `check` accepts the workspace.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readComponentGraph } from '@bllvm/manifest';
import { generateStack } from '@bllvm/sandbox';
import { type GeneratedWorkspace, createGeneratedWorkspace } from './generated-workspace';

let gw: GeneratedWorkspace;

beforeAll(async () => {
  gw = await createGeneratedWorkspace({ components: 12, seed: 5 });
});

afterAll(async () => {
  await gw?.remove();
});

it('derives, through import and nx sync, exactly the generated DAG', async () => {
  const want = generateStack(12, 5);
  const graph = await readComponentGraph(gw.ws.dir);
  expect([...graph.components].sort()).toEqual(want.repositories.map((r) => r.name));
  const derived = Object.fromEntries(graph.components.map((c) => [c, [...graph.dependencies[c]!].sort()]));
  expect(derived).toEqual(Object.fromEntries(want.repositories.map((r) => [r.name, [...r.dependsOn]])));
  expect(want.repositories.some((r) => r.dependsOn.length > 1)).toBe(true);
});

it('is in sync and passes check (pins reachable, versions.toml agrees with the graph)', async () => {
  const sync = await gw.ws.nx('sync:check');
  expect(sync.exitCode, sync.stdout + sync.stderr).toBe(0);
  const check = await gw.ws.cli('check');
  expect(check.exitCode, check.stderr).toBe(0);
  expect(check.stdout).toContain('ok: 12 components');
});
