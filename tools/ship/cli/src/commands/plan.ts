import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PIN_FILE, type PinChange, explainAffected, parsePin } from '@bllvm/manifest';
import { type Command, UsageError } from '../command';
import { changedFilesSince, resolveRevision, showFile } from '@bllvm/orchestrator';
import { affectedProjects } from '../nx';
import { loadGraph } from '../workspace';

export const planCommand: Command = {
  name: 'plan',
  summary: 'show which components `nx affected` would build since a ref, and why',
  usage: 'plan --base <ref> [--json]\n\n  e.g. plan --base last-release',
  options: { base: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, ctx) {
    const base = values.base as string | undefined;
    if (!base) throw new UsageError('--base <ref> is required');
    const baseSha = await resolveRevision(ctx.workspaceRoot, base);
    const graph = await loadGraph(ctx.workspaceRoot);
    const [affected, changed] = await Promise.all([
      affectedProjects(ctx.workspaceRoot, baseSha),
      changedFilesSince(ctx.workspaceRoot, baseSha),
    ]);
    const pinChanges: Record<string, PinChange> = {};
    for (const component of graph.components) {
      const rel = `${graph.roots[component]}/${PIN_FILE}`;
      if (!changed.includes(rel)) continue;
      const before = await showFile(ctx.workspaceRoot, baseSha, rel);
      const after = await readFile(join(ctx.workspaceRoot, rel), 'utf8').catch(() => undefined);
      pinChanges[component] = {
        from: before ? parsePin(before, `${base}:${rel}`).commit : undefined,
        to: after ? parsePin(after, rel).commit : undefined,
      };
    }
    const plan = explainAffected(graph, new Set(affected), changed, pinChanges);
    if (values.json) {
      ctx.out(JSON.stringify({ base, baseCommit: baseSha, components: plan }, null, 2));
      return 0;
    }
    const width = Math.max(...plan.map((p) => p.component.length), 'component'.length);
    ctx.out(`plan since ${base} (${baseSha.slice(0, 7)}):`);
    ctx.out(`${'component'.padEnd(width)}  build  reason`);
    for (const p of plan) ctx.out(`${p.component.padEnd(width)}  ${(p.build ? 'yes' : 'no').padEnd(5)}  ${p.reason}`);
    const n = plan.filter((p) => p.build).length;
    ctx.out(n ? `${n} of ${plan.length} components to build` : 'nothing to build');
    return 0;
  },
};
