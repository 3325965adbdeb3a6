import { readFile, realpath } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { TomlError, parse as parseToml } from 'smol-toml';
import { type Component, type ComponentFacts, type CrateFacts, type DerivedGraph, type Stack, deriveStackGraph, readStack } from '@bllvm/manifest';
import type { OrchestratorConfig } from '@bllvm/contract';
import { SourcesError, git, paths, prepareSources, within } from '@bllvm/sources';
import { cachedFacts, readCrateFacts } from '../../lib/crate-facts';

export interface DerivedStack extends DerivedGraph {
  stack: Stack;
  /** How many components needed a cargo run (the rest came from the cache), and the time cargo took. */
  cargoRuns: number;
  cargoMs: number;
}

/**
 * The graph the pinned manifests describe, for the whole stack. Facts come from the cache when
 * every (repository, commit, crate dir) was read before: an unchanged stack checks out nothing and
 * runs no cargo. Otherwise every component is checked out side by side (and checked for
 * containment), and cargo reads each crate not yet cached, in the build sandbox.
 */
export async function deriveStack(workspaceRoot: string, cfg: OrchestratorConfig): Promise<DerivedStack> {
  const stack = await readStack(workspaceRoot);
  const keys = stack.components.map((c) => ({ repository: c.repository, commit: c.pin.commit, crateDir: c.crate.dir }));
  const facts: (CrateFacts | undefined)[] = await Promise.all(keys.map((k) => cachedFacts(cfg.workDir, k)));
  const problems: string[] = [];
  let cargoRuns = 0;
  let cargoMs = 0;
  let refused: string[] = [];
  if (facts.some((f) => f === undefined)) {
    // Containment refuses a path outside the checkouts without knowing which repository it
    // means; the derivation below says that (and the import command), so read the facts of the
    // checkouts in place and report both, every problem of every component in one run.
    try {
      await prepareSources(cfg, stack.components.map((c) => ({ component: c.id, pin: c.pin })));
    } catch (e) {
      if (!(e instanceof SourcesError)) throw e;
      refused = e.message.split('\n').map((l) => l.trim()).filter((l) => l && !/^\d+ containment problems:$/.test(l));
    }
    const dirs = Object.fromEntries(stack.components.map((c) => [c.id, paths.checkout(cfg, c.checkoutFolder)]));
    const checkouts = stack.components.map((c) => ({ dir: dirs[c.id]!, crateDir: c.crate.dir }));
    for (const [i, c] of stack.components.entries()) {
      if (facts[i]) continue;
      // After a refusal a folder may hold another commit (or nothing): read only what is at the pin, and cache nothing.
      if (refused.length && !(await atCommit(checkouts[i]!.dir, c.pin.commit))) continue;
      const r = await readCrateFacts(cfg.workDir, keys[i]!, { ...checkouts[i]!, checkouts }, refused.length === 0);
      cargoRuns++;
      cargoMs += r.ms;
      if (r.ok) facts[i] = r.facts;
      else problems.push(await unreadable(c, checkouts[i]!.dir, r.stderr));
    }
  }
  const known: ComponentFacts[] = stack.components.flatMap((c, i) =>
    facts[i] ? [{ id: c.id, repository: c.repository, checkoutFolder: c.checkoutFolder, crate: c.crate, commit: c.pin.commit, facts: facts[i]!, formerNames: c.formerNames }] : [],
  );
  const derived = deriveStackGraph(known, stack.components.filter((_, i) => !facts[i]).map((c) => c.checkoutFolder));
  // A folder the derivation already names (with the repository to import) needs no second line.
  const named = [...derived.problems.join('\n').matchAll(/the sibling folder "([^"]+)"/g)].map((m) => m[1]!);
  const sourcesDir = paths.sourcesDir(cfg);
  const rest = refused.filter((l) => !named.some((f) => l.includes(`${sourcesDir}/${f},`) || l.includes(`${sourcesDir}/${f} `) || l.endsWith(`${sourcesDir}/${f}`)));
  return { ...derived, problems: [...rest, ...problems, ...derived.problems], stack, cargoRuns, cargoMs };
}

async function atCommit(dir: string, commit: string): Promise<boolean> {
  const r = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: dir }).catch(() => undefined);
  return r?.ok === true && r.stdout === commit;
}

/** Why cargo could not read a crate: a manifest that is not TOML said as such (as people read it), else cargo's last words. */
async function unreadable(c: Component, dir: string, stderr: string): Promise<string> {
  const file = join(dir, c.crate.dir, 'Cargo.toml');
  const cargoSays = stderr.split('\n').map((l) => l.trim()).filter(Boolean).slice(-3).join(' ');
  const at = `${c.id}@${c.pin.commit.slice(0, 7)}`;
  try {
    // Only a file that really lies inside the checkout is read on the host.
    if (within(await realpath(file), await realpath(dir))) {
      const doc = parseToml(await readFile(file, 'utf8')) as { package?: { name?: unknown } };
      if (typeof doc.package?.name !== 'string')
        return `${at}: ${posix.join(c.checkoutFolder, c.crate.dir, 'Cargo.toml')}: package.name: not a crate manifest (cargo: ${cargoSays}); set crate-dir in its pin.toml to the crate's folder at this commit`;
    }
  } catch (e) {
    if (e instanceof TomlError) return `${c.id}: ${file}: invalid TOML: ${e.message.split('\n')[0]}`;
  }
  return `${at}: cargo cannot read the manifests of ${c.repository}: ${cargoSays}`;
}
