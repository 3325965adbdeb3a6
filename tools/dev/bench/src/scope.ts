/**
 * What gets rebuilt when one component changes: by the old pipeline (REFERENCE.md §5), by the
 * ideal (the component plus its transitive dependents in the real graph) and, measured, by ours.
 * Pure, so the comparison is a unit test.
 */
import { type ComponentGraph, withDependents } from '@bllvm/manifest';

/** The old orchestrator's scope table, by event type, verbatim from REFERENCE.md §5. */
export const BASELINE_TABLE: Readonly<Record<string, readonly string[]>> = Object.freeze({
  build_consensus: ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm-sdk', 'governance-app'],
  build_all: ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm-sdk', 'governance-app'],
  build_protocol: ['bllvm-protocol', 'bllvm-node', 'bllvm-sdk', 'governance-app'],
  build_node: ['bllvm-node', 'bllvm-sdk', 'governance-app'],
  build_sdk: ['bllvm-sdk', 'governance-app'],
  build_governance: ['governance-app'],
});

/** The event the old pipeline sent for a change in each repository; bllvm had none. */
export const BASELINE_EVENT: Readonly<Record<string, string | undefined>> = Object.freeze({
  'bllvm-consensus': 'build_consensus',
  'bllvm-protocol': 'build_protocol',
  'bllvm-node': 'build_node',
  'bllvm-sdk': 'build_sdk',
  'governance-app': 'build_governance',
  bllvm: undefined,
});

/** The old pipeline's strict serial job order; the bllvm binary came after, from the prerelease workflow. */
export const BASELINE_ORDER: readonly string[] = ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm-sdk', 'governance-app'];
export const PRERELEASE_ALWAYS = 'bllvm';

/** What the old orchestrator's table rebuilt for a change in `component` (empty for bllvm: no event). */
export function baselineTableScope(component: string): string[] {
  const event = BASELINE_EVENT[component];
  const row = event ? BASELINE_TABLE[event]! : [];
  return BASELINE_ORDER.filter((c) => row.includes(c));
}

/** What the whole old pipeline built: the table's row in serial order, then bllvm whatever changed. */
export function baselinePipelineScope(component: string): string[] {
  return [...baselineTableScope(component), PRERELEASE_ALWAYS];
}

/** The ideal: the changed component and everything that depends on it, directly or not. */
export function idealScope(graph: Pick<ComponentGraph, 'components' | 'dependencies'>, component: string): string[] {
  return withDependents(graph, [component]);
}

export interface BaselineTask {
  project: string;
  target: string;
  configuration?: string;
}

/**
 * The baseline's tasks, one at a time, on our executors. The consensus job of the old pipeline
 * was its verification ("consensus (verify)"), so consensus contributes its verify task only —
 * conservative: the baseline does no more work than the table says. governance-app is its
 * binaries then its image; bllvm comes last.
 */
export function baselineTasks(component: string, verifyConfiguration = 'sandbox'): BaselineTask[] {
  const tasks: BaselineTask[] = [];
  for (const c of baselinePipelineScope(component)) {
    if (c === 'bllvm-consensus') tasks.push({ project: c, target: 'verify', configuration: verifyConfiguration });
    else if (c === 'governance-app') tasks.push({ project: c, target: 'compile' }, { project: c, target: 'build' });
    else tasks.push({ project: c, target: 'build' });
  }
  return tasks;
}

/** cargo subcommands that compile the crate they run in (a verify command is one of them: `cargo test --features verify`, `cargo kani`). */
const COMPILING = new Set(['build', 'b', 'test', 't', 'package', 'rustc', 'kani']);
/** cargo's global options that take a value, so the subcommand is the first word after them. */
const GLOBAL_WITH_VALUE = new Set(['--config', '-Z', '-C', '--color', '--manifest-path']);

/** The subcommand of a cargo command line as the shims log it (`--config k=v build --release` → build). Pure. */
export function cargoSubcommand(args: string): string | undefined {
  const words = args.trim().split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (GLOBAL_WITH_VALUE.has(w)) i++;
    else if (!w.startsWith('-') && !w.startsWith('+')) return w;
  }
  return undefined;
}

/** The checkout folder a cargo call ran in: `/src/<folder>/…` inside the build sandbox, `…/sources/<folder>/…` on the host. Pure. */
export function checkoutFolderOf(cwd: string): string | undefined {
  const inSandbox = /^\/src\/([^/]+)/.exec(cwd);
  if (inSandbox) return inSandbox[1];
  return /\/sources\/([^/]+)/.exec(cwd)?.[1];
}

/**
 * The components a run really compiled, from the tool shims' log: a cargo build, test, package or
 * rustc (the verify command included) runs in the checkout of the component it builds, and a
 * docker build is the governance-app image. Other cargo runs (`metadata` for the containment check
 * and the build options, `fetch`, `generate-lockfile`) read upstream checkouts without compiling
 * anything, so they are not a rebuild. `folders` maps each checkout folder to its component.
 */
export function builtComponents(
  calls: readonly { tool: string; cwd: string; args: string }[],
  components: readonly string[],
  folders: Readonly<Record<string, string>> = Object.fromEntries(components.map((c) => [c, c])),
): string[] {
  const built = new Set<string>();
  for (const c of calls) {
    if (c.tool === 'cargo') {
      const folder = checkoutFolderOf(c.cwd);
      const component = folder === undefined ? undefined : folders[folder];
      if (component && COMPILING.has(cargoSubcommand(c.args) ?? '')) built.add(component);
    } else if (c.tool === 'docker' && /(^|\s)(build|buildx build)(\s|$)/.test(c.args)) built.add('governance-app');
  }
  return components.filter((c) => built.has(c));
}

export interface ScopeRow {
  component: string;
  ideal: string[];
  /** Measured from the shims; undefined where not measured. */
  ours?: string[];
  baselineTable: string[];
  baselinePipeline: string[];
  oursEqualsIdeal?: boolean;
  /** In the ideal but not rebuilt by the old orchestrator's table: shipped stale. */
  baselineMissed: string[];
  /** Rebuilt by the old pipeline though nothing it depends on changed. */
  baselineExtra: string[];
}

export function compareScope(graph: Pick<ComponentGraph, 'components' | 'dependencies'>, component: string, ours?: string[]): ScopeRow {
  const ideal = idealScope(graph, component);
  const baselineTable = baselineTableScope(component);
  const baselinePipeline = baselinePipelineScope(component);
  const order = (xs: string[]) => graph.components.filter((c) => xs.includes(c));
  return {
    component,
    ideal,
    ours: ours ? order(ours) : undefined,
    baselineTable,
    baselinePipeline,
    oursEqualsIdeal: ours ? sameSet(ours, ideal) : undefined,
    baselineMissed: ideal.filter((c) => !baselineTable.includes(c)),
    baselineExtra: baselinePipeline.filter((c) => !ideal.includes(c)),
  };
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && new Set([...a, ...b]).size === a.length && new Set(a).size === a.length;
}
