import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Component, type ComponentFacts, type CrateFacts, type DerivedGraph, type Stack, deriveStackGraph, readStack } from '@bllvm/manifest';
import type { OrchestratorConfig } from '@bllvm/contract';
import { crateFacts, prepareSources } from '@bllvm/sources';

export interface DerivedStack extends DerivedGraph {
  stack: Stack;
  /** How many components needed a cargo run (the rest came from the cache), and the time cargo took. */
  cargoRuns: number;
  cargoMs: number;
}

/** Cargo metadata of a crate depends on the commit and the crate's folder only (--no-deps reads no sibling): the cache key. */
export function factsCacheFile(workDir: string, c: Pick<Component, 'repository' | 'crate'> & { pin: { commit: string } }): string {
  const key = createHash('sha256').update(JSON.stringify([c.repository, c.pin.commit, c.crate.dir])).digest('hex').slice(0, 32);
  return join(workDir, 'graph-facts', `${key}.json`);
}

async function cached(file: string): Promise<CrateFacts | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as CrateFacts;
  } catch {
    return undefined;
  }
}

/**
 * The graph the pinned manifests describe, for the whole stack. Facts come from the cache when
 * every (repository, commit, crate dir) was read before: an unchanged stack checks out nothing and
 * runs no cargo. Otherwise every component is checked out side by side (and checked for
 * containment), and cargo reads each crate not yet cached, in the build sandbox.
 */
export async function deriveStack(workspaceRoot: string, cfg: OrchestratorConfig): Promise<DerivedStack> {
  const stack = await readStack(workspaceRoot);
  const files = stack.components.map((c) => factsCacheFile(cfg.workDir, c));
  const facts = await Promise.all(files.map(cached));
  const problems: string[] = [];
  let cargoRuns = 0;
  let cargoMs = 0;
  if (facts.some((f) => f === undefined)) {
    const dirs = await prepareSources(cfg, stack.components.map((c) => ({ component: c.id, pin: c.pin })));
    const checkouts = stack.components.map((c) => ({ dir: dirs[c.id]!, crateDir: c.crate.dir }));
    for (const [i, c] of stack.components.entries()) {
      if (facts[i]) continue;
      const r = await crateFacts({ ...checkouts[i]!, checkouts, cargoHome: join(cfg.workDir, 'cargo-home', c.id) });
      cargoRuns++;
      cargoMs += r.ms;
      if (!r.ok) {
        problems.push(`${c.id}@${c.pin.commit.slice(0, 7)}: cargo cannot read the manifests of ${c.repository}: ${r.stderr.split('\n').slice(-3).join(' ')}`);
        continue;
      }
      facts[i] = r.facts;
      await mkdir(join(cfg.workDir, 'graph-facts'), { recursive: true });
      const tmp = `${files[i]}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(tmp, JSON.stringify(r.facts));
      await rename(tmp, files[i]!);
    }
  }
  const known: ComponentFacts[] = stack.components.flatMap((c, i) =>
    facts[i] ? [{ id: c.id, repository: c.repository, checkoutFolder: c.checkoutFolder, crate: c.crate, commit: c.pin.commit, facts: facts[i]! }] : [],
  );
  const derived = deriveStackGraph(known, stack.components.filter((_, i) => !facts[i]).map((c) => c.checkoutFolder));
  return { ...derived, problems: [...problems, ...derived.problems], stack, cargoRuns, cargoMs };
}
