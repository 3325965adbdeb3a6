import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrchestratorConfig } from '@bllvm/contract';
import { type ComponentGraph, pinPath, readComponentGraph, readPin } from '@bllvm/manifest';
import { type TrialOutcome, resolveRevision } from '@bllvm/orchestrator';
import { CommandError } from '../command';
import { seedPrivateCache } from '../scratch/private-cache';
import { ScratchStack, sharedCacheDirectory, sharedWorkspaceData } from '../scratch/scratch-stack';
import { affectedGraph } from './affected';
import { apiInState } from '../scratch/api-in-state';
import { gateVerdict } from './api-gate';
import { CACHE_SERVER, CACHE_TOKEN, withheldFromTrial } from './env';
import { trialOutcome } from './outcome';
import { probeCacheToken } from './remote-cache';
import { resolveTrialRef } from './resolve';

export const TRIAL_TARGETS = ['build', 'test', 'verify'] as const;

export interface TrialRequest {
  workspaceRoot: string;
  graph: ComponentGraph;
  component: string;
  ref: string;
  pullRequest?: number;
  targets: string[];
  configuration?: string;
  config: OrchestratorConfig;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Keep the scratch folder (its path is logged). */
  keep?: boolean;
}

/**
 * A trial: the component built at `ref` in place of its pin, everything downstream of it at its
 * pins, with the nightly's targets, in a scratch clone of this checkout's HEAD. Moves no real pin,
 * writes no versions.toml, publishes nothing; the builds get no credential. Nx reads a private copy
 * of the shared cache and writes only that copy, so no output of a trial is ever served to a main
 * build; a remote cache is used only with a token the server refuses to let write.
 */
export async function runTrial(req: TrialRequest): Promise<TrialOutcome> {
  const started = Date.now();
  const root = req.workspaceRoot;
  const component = req.component;
  if (!req.graph.components.includes(component))
    throw new CommandError(`unknown component "${component.slice(0, 80)}" (one of ${req.graph.components.join(', ')})`);
  const pin = await readPin(pinPath(root, req.graph.roots[component]!));
  const headSha = await resolveTrialRef(req.config, pin.repository, component, req.ref);
  req.log(`trial: ${component} at ${headSha.slice(0, 12)} (${req.ref}) in place of its pin ${pin.commit.slice(0, 12)}`);
  const env = { ...req.env };
  const readOnly = await remoteCacheIsReadOnly(env, req.log);
  const head = await resolveRevision(root, 'HEAD');

  const scratch = await mkdtemp(join(tmpdir(), 'bllvm-trial-'));
  try {
    const cache = await seedPrivateCache({ directory: sharedCacheDirectory(root, env), workspaceData: sharedWorkspaceData(root, env) }, scratch);
    req.log(`trial: reading a private copy of the shared Nx cache (${cache.entries} entries); nothing it builds reaches the shared one`);
    const stack = await ScratchStack.open({
      root, dir: scratch, commit: head, graph: req.graph, config: req.config, env, log: req.log,
      cache, withhold: (name) => withheldFromTrial(name, readOnly), outputLimit: 8_000_000,
    });
    // A library's public API at its pin, before the pin moves, for the compatibility gate.
    const library = (req.graph.tags[component] ?? []).includes('kind:library');
    const before = library ? await apiInState(stack, component, req.configuration) : undefined;
    // The pin moved in the scratch clone only; the graph is derived from the head's manifests as `nx sync` does.
    await stack.moveTo(head, { [component]: headSha });
    const graph = affectedGraph(await readComponentGraph(stack.dir), component);
    req.log(`trial: ${req.targets.join(', ')} of ${graph.nodes.join(', ')}`);
    const run = await stack.run(graph.nodes, req.targets, req.configuration);
    const outcome = trialOutcome(
      { component, repository: pin.repository, ref: req.ref, headSha, ...(req.pullRequest !== undefined ? { pullRequest: req.pullRequest } : {}), graph, wallMs: 0 },
      run.tasks,
      run.output,
    );
    if (before) {
      const gate = gateVerdict(before, await apiInState(stack, component, req.configuration));
      if ('api' in gate) outcome.api = gate.api;
      else req.log(`trial: no API comparison for ${component}: ${gate.problem}`);
    }
    outcome.wallMs = Date.now() - started;
    return outcome;
  } finally {
    if (req.keep) req.log(`trial: the scratch folder is kept at ${scratch}`);
    else await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * With a remote cache configured: its token goes to the trial only when the server refuses it a
 * write. A token that may write is refused outright (a misconfigured job, not something to work
 * around); a token the server does not know, or a server that does not answer, means no remote cache.
 */
async function remoteCacheIsReadOnly(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<boolean> {
  const server = env[CACHE_SERVER];
  const token = env[CACHE_TOKEN];
  if (!server || !token) {
    delete env[CACHE_SERVER];
    delete env[CACHE_TOKEN];
    return false;
  }
  const kind = await probeCacheToken(server, token);
  if (kind === 'read-only') return true;
  if (kind === 'can-write')
    throw new CommandError(`the remote cache token may write: a trial is given the cache's read token only (${CACHE_TOKEN}), so its outputs are never served to a main build`);
  log(`trial: the remote cache ${kind === 'refused' ? 'refused the token' : 'did not answer'}; building without it`);
  delete env[CACHE_SERVER];
  delete env[CACHE_TOKEN];
  return false;
}
