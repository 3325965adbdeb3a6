import { join } from 'node:path';
import { type Component, ManifestError, ManifestErrors, checkVersionsAgainstGraph, readComponents, readVersions } from '@bllvm/manifest';
import { SourcesError, pinCommitProblem } from '@bllvm/sources';
import type { Command } from '../command';
import { loadGraph } from '../workspace';

export const checkCommand: Command = {
  name: 'check',
  summary: 'validate the pins, versions.toml and their agreement with the graph',
  usage: [
    'check [--versions <file>] [--offline]',
    '',
    '  Prints every problem, one per line; exits 1 if there is any. Each pinned commit must exist in its',
    '  repository and be reachable from the branch the pin tracks (the mirrors are fetched to check);',
    '  --offline skips that and checks only the files.',
  ].join('\n'),
  options: { versions: { type: 'string' }, offline: { type: 'boolean' } },
  async run({ values }, ctx) {
    const problems: string[] = [];
    const collect = (e: unknown) => {
      if (e instanceof ManifestErrors) problems.push(...e.errors.map((x) => x.message));
      else if (e instanceof ManifestError) problems.push(e.message);
      else throw e;
    };
    let graph;
    try {
      graph = await loadGraph(ctx.workspaceRoot);
    } catch (e) {
      collect(e);
      for (const p of problems) ctx.err(p);
      return 1;
    }
    // One component at a time, so every broken pin is reported, not just the first.
    const components: Component[] = [];
    for (const component of graph.components) {
      try {
        const [c] = await readComponents(ctx.workspaceRoot, graph, [component]);
        if (c) components.push(c);
        if (c && !values.offline) {
          const problem = await pinCommitProblem(ctx.config, { component, ...c.pin });
          if (problem) problems.push(`${c.pinFile}: ${problem}`);
        }
      } catch (e) {
        if (e instanceof SourcesError) problems.push(`${component}: ${e.message}`);
        else collect(e);
      }
    }
    const versionsFile = (values.versions as string | undefined) ?? join(ctx.workspaceRoot, 'versions.toml');
    try {
      // versions.toml may name a component by its repository, crate or a former name (with a warning).
      const versions = await readVersions(versionsFile, { components });
      for (const w of versions.warnings) ctx.err(`warning: ${w}`);
      problems.push(...checkVersionsAgainstGraph(graph, versions));
    } catch (e) {
      collect(e);
    }
    for (const p of problems) ctx.err(p);
    if (problems.length) {
      ctx.err(`check failed: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
      return 1;
    }
    ctx.out(`ok: ${graph.components.length} components, pins and versions.toml agree with the graph`);
    return 0;
  },
};
