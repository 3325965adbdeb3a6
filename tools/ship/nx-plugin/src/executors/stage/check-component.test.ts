import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ComponentGraph, toComponent } from '@bllvm/manifest';
import { fakeSha, tempDir, writeBuild } from '@bllvm/release/testing';
import type { ComponentContext } from '../../lib/component';
import { releaseProblems } from './check-component';

const graph: ComponentGraph = {
  components: ['bllvm-protocol', 'bllvm-node'],
  dependencies: { 'bllvm-protocol': [], 'bllvm-node': ['bllvm-protocol'] },
  roots: { 'bllvm-protocol': 'apps/bllvm-protocol', 'bllvm-node': 'apps/bllvm-node' },
  tags: { 'bllvm-protocol': ['component', 'kind:library'], 'bllvm-node': ['component', 'kind:library'] },
};
const NODE = fakeSha('bllvm-node');
const PROTOCOL = fakeSha('bllvm-protocol');

let ws: { dir: string; cleanup: () => Promise<void> };
let ctx: ComponentContext;

beforeEach(async () => {
  ws = await tempDir('check-component-');
  const pin = (c: string, commit: string) => ({ repository: `BTCDecoded/${c}`, branch: 'main', commit });
  const self = toComponent(ws.dir, graph, 'bllvm-node', pin('bllvm-node', NODE));
  const upstream = [toComponent(ws.dir, graph, 'bllvm-protocol', pin('bllvm-protocol', PROTOCOL))];
  ctx = { workspaceRoot: ws.dir, self, component: self.id, pin: self.pin, upstream, graph, sources: undefined as never };
  await writeBuild(join(ws.dir, 'dist'), 'bllvm-node', [{ name: 'libbllvm_node.rlib', kind: 'library', content: 'rlib' }], { upstream: { 'bllvm-protocol': PROTOCOL } });
  await writeTest(ctx, { commit: NODE, success: true });
});
afterEach(() => ws.cleanup());

async function writeTest(c: ComponentContext, fields: Record<string, unknown>) {
  await mkdir(c.self.dist.test.dir, { recursive: true });
  const record = { component: c.component, command: ['cargo', 'test'], durationMs: 10, finishedAt: '2026-11-27T00:00:00.000Z', ...fields };
  await writeFile(c.self.dist.test.record, JSON.stringify(record));
}

describe('the release gate of one component', () => {
  it('passes records and artifacts of the pinned commits', async () => {
    expect(await releaseProblems(ctx, { verify: false, image: false })).toEqual([]);
  });

  it('names the file and every wrong field of a malformed record', async () => {
    await writeTest(ctx, { commit: NODE, success: 'yes', durationMs: -1 });
    expect(await releaseProblems(ctx, { verify: false, image: false })).toEqual([
      `bllvm-node: ${ctx.self.dist.test.record}: success: must be true or false, found string`,
      `bllvm-node: ${ctx.self.dist.test.record}: durationMs: number is not a duration in milliseconds`,
    ]);
  });

  it('reports a record that is missing or not JSON, and one from another commit', async () => {
    await writeFile(ctx.self.dist.build.record, '{"component":');
    await writeTest(ctx, { commit: PROTOCOL, success: true });
    expect(await releaseProblems(ctx, { verify: true, image: false })).toEqual([
      `bllvm-node: ${ctx.self.dist.build.record} is missing or unreadable`,
      `bllvm-node: no successful test of ${NODE.slice(0, 7)}`,
      `bllvm-node: output dist/bllvm-node/verify/verify.json of bllvm-node:verify is missing; build it first with \`npm run cli -- build --targets build,test,verify,package\` (this task alone: \`npx nx run bllvm-node:verify\`)`,
    ]);
  });

  it('names each missing output with the task that makes it and the command to run', async () => {
    await rm(ctx.self.dist.test.dir, { recursive: true });
    await rm(join(ctx.self.dist.build.dir, 'libbllvm_node.rlib'));
    const hint = (t: string) => `build it first with \`npm run cli -- build --targets build,test,verify,package\` (this task alone: \`npx nx run bllvm-node:${t}\`)`;
    expect(await releaseProblems(ctx, { verify: false, image: true }, { build: 'compile', test: 'test', verify: 'verify', image: 'build' })).toEqual([
      `bllvm-node: artifact dist/bllvm-node/build/libbllvm_node.rlib of bllvm-node:compile is missing; ${hint('compile')}`,
      `bllvm-node: output dist/bllvm-node/test/test.json of bllvm-node:test is missing; ${hint('test')}`,
      `bllvm-node: output dist/bllvm-node/image.json of bllvm-node:build is missing; ${hint('build')}`,
    ]);
  });

  it('reports a build made against an upstream commit that is no longer pinned', async () => {
    const other = fakeSha('elsewhere');
    await writeBuild(join(ws.dir, 'dist'), 'bllvm-node', [{ name: 'libbllvm_node.rlib', kind: 'library', content: 'rlib' }], { upstream: { 'bllvm-protocol': other } });
    expect(await releaseProblems(ctx, { verify: false, image: false })).toEqual([
      `bllvm-node: built against bllvm-protocol@${other.slice(0, 7)}, but bllvm-protocol is pinned at ${PROTOCOL.slice(0, 7)}`,
    ]);
  });
});
