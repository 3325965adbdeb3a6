/**
 * The bench's "cost as the stack grows" section: the orchestrator's own commands (plan, nx
 * affected, the graph sync with cold and warm facts, check, graph-check) on generated stacks of
 * several sizes (tools/doubles createGeneratedWorkspace: real git repositories, real crates, a
 * layered DAG), each measured N times for wall time and peak memory of its process tree.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type GeneratedWorkspace, createGeneratedWorkspace } from '@bllvm/demo';
import { addCommit } from '@bllvm/sandbox';
import type { Machine } from './machine';
import { type Measured, measure } from './measure';
import { type CommandGrowth, type ScaleSample, analyseGrowth } from './scale-analysis';
import { type Stat, fmtMs, stat } from './stats';
import { workspaceEnv } from './workspace-env';

export const DEFAULT_SCALE_SIZES = [10, 50, 200];
export const SCALE_SEED = 1;

export interface ScaleCommandResult {
  name: string;
  /** What was run, as a person would type it. */
  command: string;
  samples: ScaleSample[];
  growth: CommandGrowth;
}

export interface ScaleSetup {
  components: number;
  /** Layers of the DAG and its edges. */
  layers: number;
  edges: number;
  /** Creating the bare repositories, `import --no-sync` of all, the first `nx sync` (checkouts and facts from nothing). Single runs. */
  orgMs: number;
  importMs: number;
  firstSyncMs: number;
  /** Components `plan` builds after the bottom crate's pin moved (its transitive dependents and itself). */
  planned: number;
}

export interface ScaleResults {
  schema: 1;
  generatedAt: string;
  benchWallMs: number;
  machine: Machine;
  orchestratorCommit: string;
  seed: number;
  sizes: number[];
  reps: { fast: number; slow: number };
  setup: ScaleSetup[];
  commands: ScaleCommandResult[];
  /** Other load on the machine during the measurements (0–1). */
  foreignLoad: Stat;
}

const CLI_BIN = join('tools', 'ship', 'cli', 'bin', 'bllvm-release.cjs');
const NX_BIN = join('node_modules', 'nx', 'dist', 'bin', 'nx.js');

interface CommandSpec {
  name: string;
  command: string;
  /** The slow ones (cargo, git fetches) run fewer times. */
  slow?: boolean;
  tool: 'cli' | 'nx';
  args: string[];
  /** Before each run, e.g. drop the facts cache. */
  prepare?: (gw: GeneratedWorkspace) => Promise<void>;
  /** Fails the bench when the command did not do its job (a fast wrong answer is no figure). */
  verify?: (m: Measured, components: number) => void;
}

const factsDir = (gw: GeneratedWorkspace) => join(gw.ws.dir, '.bllvm', 'graph-facts');

const COMMANDS: CommandSpec[] = [
  {
    name: 'plan',
    command: 'bllvm-release plan --base last-release --json',
    tool: 'cli',
    args: ['plan', '--base', 'last-release', '--json'],
    verify: (m, n) => {
      const plan = JSON.parse(m.stdout) as { components: { component: string; build: boolean }[] };
      if (plan.components.length !== n || !plan.components.find((c) => c.component === 'stack-000')?.build)
        throw new Error(`plan did not list ${n} components with stack-000 to build:\n${m.stdout.slice(0, 2000)}`);
    },
  },
  {
    name: 'nx affected',
    command: 'nx show projects --affected --base=last-release --json',
    tool: 'nx',
    args: ['show', 'projects', '--affected', '--base=last-release', '--json'],
    verify: (m) => {
      if (!(JSON.parse(m.stdout) as string[]).includes('stack-000')) throw new Error(`nx affected did not name stack-000:\n${m.stdout.slice(0, 2000)}`);
    },
  },
  {
    name: 'nx sync:check, facts cold',
    command: 'nx sync:check (graph-facts removed first; mirrors and checkouts kept)',
    slow: true,
    tool: 'nx',
    args: ['sync:check'],
    prepare: (gw) => rm(factsDir(gw), { recursive: true, force: true }),
  },
  { name: 'nx sync:check, facts warm', command: 'nx sync:check', tool: 'nx', args: ['sync:check'] },
  { name: 'nx sync, facts warm', command: 'nx sync (nothing to change)', tool: 'nx', args: ['sync'] },
  {
    name: 'check',
    command: 'bllvm-release check (fetches every mirror to check each pin is reachable)',
    slow: true,
    tool: 'cli',
    args: ['check'],
    verify: (m, n) => {
      if (!m.stdout.includes(`ok: ${n} components`)) throw new Error(`check did not pass:\n${m.stderr.slice(-2000)}`);
    },
  },
  {
    name: 'check --offline',
    command: 'bllvm-release check --offline',
    tool: 'cli',
    args: ['check', '--offline'],
    verify: (m, n) => {
      if (!m.stdout.includes(`ok: ${n} components`)) throw new Error(`check --offline did not pass:\n${m.stderr.slice(-2000)}`);
    },
  },
  {
    name: 'graph-check, facts warm',
    command: 'nx run release-set:graph-check',
    slow: true,
    tool: 'nx',
    args: ['run', 'release-set:graph-check', '--outputStyle=static'],
  },
];

async function runCommand(gw: GeneratedWorkspace, c: CommandSpec, components: number): Promise<Measured> {
  await c.prepare?.(gw);
  const script = join(gw.ws.dir, c.tool === 'cli' ? CLI_BIN : NX_BIN);
  const m = await measure(process.execPath, [script, ...c.args], { cwd: gw.ws.dir, env: workspaceEnv(gw.ws.env), timeoutMs: 30 * 60_000 });
  if (m.exitCode !== 0) throw new Error(`${c.command} failed at ${components} components (exit ${m.exitCode}):\n${(m.stdout + m.stderr).slice(-3000)}`);
  c.verify?.(m, components);
  return m;
}

export interface ScaleOptions {
  sizes: number[];
  reps: { fast: number; slow: number };
  keep: boolean;
  log: (msg: string) => void;
}

/** Every command at every size; the sizes one after another, each in a fresh workspace. */
export async function runScale(o: ScaleOptions, machine: Machine, orchestratorCommit: string): Promise<ScaleResults> {
  const t0 = performance.now();
  const raw: Record<string, Record<number, Measured[]>> = {};
  const setup: ScaleSetup[] = [];
  // Every stack first, then the measurements interleaved across sizes (each rep runs every command
  // at every size in turn), so load from other work on a shared machine falls on all sizes alike
  // instead of on whichever size happened to be measured during it.
  const stacks: { n: number; gw: GeneratedWorkspace }[] = [];
  try {
    for (const n of o.sizes) {
      o.log(`scale: generating a stack of ${n} components (repositories, import, nx sync)`);
      const gw = await createGeneratedWorkspace({ components: n, seed: SCALE_SEED });
      stacks.push({ n, gw });
      // One event to plan: the bottom crate moves, so its dependents are affected.
      const sha = await addCommit(gw.org, 'stack-000');
      await gw.pin('stack-000', sha);
      const synced = await gw.ws.nx('sync');
      if (synced.exitCode !== 0) throw new Error(`nx sync after moving stack-000 failed:\n${synced.stderr}`);
      await gw.ws.git('commit', '-qam', `move stack-000 to ${sha.slice(0, 7)}`);
      const warm = await runCommand(gw, COMMANDS[0]!, n);
      const planned = (JSON.parse(warm.stdout) as { components: { build: boolean }[] }).components.filter((c) => c.build).length;
      const s = gw.org.stack.repositories;
      setup.push({
        components: n,
        layers: Math.max(...s.map((r) => r.layer)) + 1,
        edges: s.reduce((k, r) => k + r.dependsOn.length, 0),
        orgMs: gw.timings.orgMs,
        importMs: gw.timings.importMs,
        firstSyncMs: gw.timings.syncMs,
        planned,
      });
      o.log(`scale ${n}: org ${fmtMs(gw.timings.orgMs)}, import ${fmtMs(gw.timings.importMs)}, first sync ${fmtMs(gw.timings.syncMs)}; plan builds ${planned}`);
      // Warm-up, not counted: bundles, Nx workspace data. The slow ones have nothing to warm.
      for (const c of COMMANDS.slice(1)) if (!c.slow) await runCommand(gw, c, n);
    }
    for (let rep = 0; rep < o.reps.fast; rep++) {
      for (const c of COMMANDS) {
        if (c.slow && rep >= o.reps.slow) continue;
        // Sizes rotated each rep, so none is always measured first.
        for (let i = 0; i < stacks.length; i++) {
          const { n, gw } = stacks[(i + rep) % stacks.length]!;
          const m = await runCommand(gw, c, n);
          ((raw[c.name] ??= {})[n] ??= []).push(m);
          o.log(`scale ${n} rep ${rep + 1}: ${c.name} ${fmtMs(m.wallMs)} (CPU ${fmtMs(m.cpuMs)}), RSS ${(m.peakOrchestratorRssKb / 1024).toFixed(0)} MB`);
        }
      }
    }
  } finally {
    for (const { n, gw } of stacks) {
      if (o.keep) o.log(`scale ${n}: kept ${gw.ws.dir}`);
      else await gw.remove();
    }
  }
  const commands = COMMANDS.map((c) => {
    const samples: ScaleSample[] = o.sizes.map((n) => {
      const runs = raw[c.name]?.[n] ?? [];
      return {
        components: n,
        wallMs: stat(runs.map((m) => m.wallMs)),
        cpuMs: stat(runs.map((m) => m.cpuMs)),
        rssKb: stat(runs.map((m) => m.peakOrchestratorRssKb)),
        pssKb: stat(runs.map((m) => m.peakOrchestratorKb)),
      };
    });
    return { name: c.name, command: c.command, samples, growth: analyseGrowth(samples) };
  });
  const all = Object.values(raw).flatMap((bySize) => Object.values(bySize).flat());
  return {
    schema: 1,
    generatedAt: new Date().toISOString(),
    benchWallMs: performance.now() - t0,
    machine,
    orchestratorCommit,
    seed: SCALE_SEED,
    sizes: o.sizes,
    reps: o.reps,
    setup,
    commands,
    foreignLoad: stat(all.map((m) => m.foreignLoad)),
  };
}

/** The stored results, with the growth judged again from the samples (the judgement may have changed since). */
export async function readScaleResults(file: string): Promise<ScaleResults> {
  const r = JSON.parse(await readFile(file, 'utf8')) as ScaleResults;
  return { ...r, commands: r.commands.map((c) => ({ ...c, growth: analyseGrowth(c.samples) })) };
}
