/**
 * npm run bench: the orchestrator against the old pipeline's behaviour, on the sandbox org with
 * real cargo and docker. Writes dist/bench/results.json and docs/benchmarks.md and prints a table.
 * It measures; it exits 1 only after writing, when a target of its first table was missed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { type Pipeline, startPipeline } from '@bllvm/demo';
import { addCommit } from '@bllvm/sandbox';
import { type BisectBenchResults, runBisectBench } from './bisect-bench';
import { BISECT_SECTION, renderBisectSection, renderBisectTable } from './bisect-report';
import { criticalPath, serialSum } from './critical-path';
import { type RunDecomposition, decompose } from './decompose';
import { type AloneRun, type BaselineRun, CONFIGURATION, Harness, type OursRun, TARGETS, type TaskAnatomy } from './harness';
import { describeMachine } from './machine';
import { profileExecutorSteps, startupCosts } from './profile-steps';
import { taskOverheads } from './overhead';
import { type BenchProfile, REAL_SECTION, parseBenchProfile, pipelineResultsFile, profiledComponents, repositoriesByComponent } from './pipeline-profile';
import { renderMarkdown, renderRealSection, renderTable } from './report';
import { DEFAULT_SCALE_SIZES, type ScaleResults, readScaleResults, runScale } from './scale';
import { SCALE_SECTION, renderScaleSection, renderScaleTable } from './scale-report';
import { SCCACHE_PACKAGES, type SccacheResults, runSccache, sccacheMissing } from './sccache';
import { SCCACHE_SECTION, renderSccacheSection, renderSccacheTable } from './sccache-report';
import { type DocSection, spliceSection } from './sections';
import type { BenchResults, RunStats, TargetCheck } from './results';
import { baselineTasks, builtComponents, compareScope, sameSet } from './scope';
import { type Stat, fmtMs, fmtRatio, fmtSeconds, stat } from './stats';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const DEFAULT_SIZE = 6;
/** bllvm is made the heaviest, so the critical path (…node → bllvm) differs from the serial sum. */
const DEFAULT_HEAVY: Record<string, number> = { bllvm: 10 };

const USAGE = `usage: npm run bench -- [options]

Benchmarks the orchestrator (Nx affected, scheduling and caching) against the old pipeline's
behaviour (REFERENCE.md §5: its scope table, strict serial order, bllvm last, nothing cached) on
the sandbox org with real cargo and docker. Writes dist/bench/results.json and docs/benchmarks.md.

options:
  --profile P       the sandbox stack of the pipeline section: seed (default; six crates, sized by
                    --size/--sizes) or real (the real-shaped ten with registry dependencies, as
                    \`npm run demo -- --stack real\`; their sizes are the profile's). The real profile
                    writes dist/bench/results-real.json and its own section of docs/benchmarks.md
  --size N          generated modules per crate (default ${DEFAULT_SIZE}); bllvm gets ${DEFAULT_HEAVY.bllvm}×N
  --sizes c=n,...   per-component sizes, e.g. bllvm=80,bllvm-sdk=20 (override --size)
  --reps N          repetitions of every measurement (default 3), alternating ours and baseline
  --quick           a fast smoke run: size 3 (bllvm ${3 * DEFAULT_HEAVY.bllvm!}), 1 rep, no marginal builds or what-ifs
  --out DIR         results folder (default dist/bench)
  --doc FILE        the generated document (default docs/benchmarks.md); --no-doc to skip
  --report-only     regenerate the table and the document from an existing results.json
  --keep            keep the sandbox folder afterwards
  --only SECTION    pipeline (the sandbox org against the baseline), scale (the orchestrator's own
                    commands on generated stacks of --components sizes) or sccache (what a shared
                    compiler cache would save a cold runner; needs ${SCCACHE_PACKAGES}
                    from Debian) or bisect (find a regression planted in a history of 32 pin
                    moves: builds used against the bound); default pipeline and scale
  --components a,b  stack sizes of the scale section (default ${DEFAULT_SCALE_SIZES.join(',')})
  --scale-reps N    runs of each fast command per size (default 5; slow ones: min(N, 3))
  --help            this text

The scale, sccache and bisect sections write dist/bench/<section>.json and their own sections of
docs/benchmarks.md; --report-only --only <section> regenerates one from its JSON.`;

function log(msg: string) {
  const t = ((performance.now() - T0) / 1000).toFixed(0).padStart(5);
  process.stderr.write(`[bench ${t}s] ${msg}\n`);
}
const T0 = performance.now();

type Section = 'pipeline' | 'scale' | 'sccache' | 'bisect';

interface ScaleOpts {
  sizes: number[];
  reps: { fast: number; slow: number };
}

interface Options {
  only: Section[];
  profile: BenchProfile;
  scale: ScaleOpts;
  size: number;
  sizes: Record<string, number>;
  reps: number;
  quick: boolean;
  out: string;
  doc?: string;
  keep: boolean;
}

function parseOptions(argv: string[]): Options | 'help' | { reportOnly: true; only: Section[]; profile: BenchProfile; out: string; doc?: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: 'string' },
      sizes: { type: 'string' },
      reps: { type: 'string' },
      quick: { type: 'boolean' },
      out: { type: 'string', default: join(ROOT, 'dist', 'bench') },
      doc: { type: 'string', default: join(ROOT, 'docs', 'benchmarks.md') },
      'no-doc': { type: 'boolean' },
      'report-only': { type: 'boolean' },
      keep: { type: 'boolean' },
      only: { type: 'string' },
      profile: { type: 'string' },
      components: { type: 'string' },
      'scale-reps': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const out = resolve(values.out!);
  const doc = values['no-doc'] ? undefined : resolve(values.doc!);
  if (values.only !== undefined && !['pipeline', 'scale', 'sccache', 'bisect'].includes(values.only)) throw new Error('--only must be pipeline, scale, sccache or bisect');
  const only: Section[] = values.only ? [values.only as Section] : ['pipeline', 'scale'];
  const profile = parseBenchProfile(values.profile);
  if (values['report-only']) return { reportOnly: true, only, profile, out, doc };
  const quick = !!values.quick;
  const int = (name: string, v: string | undefined, dflt: number, min: number) => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return n;
  };
  const size = int('size', values.size, quick ? 3 : DEFAULT_SIZE, 0);
  const reps = int('reps', values.reps, quick ? 1 : 3, 1);
  const sizes: Record<string, number> = {};
  for (const [c, k] of Object.entries(DEFAULT_HEAVY)) sizes[c] = size * k;
  for (const part of (values.sizes ?? '').split(',').filter(Boolean)) {
    const m = /^([a-z-]+)=(\d+)$/.exec(part.trim());
    if (!m) throw new Error(`--sizes: "${part}" is not component=n`);
    sizes[m[1]!] = Number(m[2]);
  }
  const sizesOfStack = (values.components ?? DEFAULT_SCALE_SIZES.join(',')).split(',').map((x) => Number(x.trim()));
  if (sizesOfStack.some((n) => !Number.isInteger(n) || n < 1 || n > 999) || sizesOfStack.some((n, i) => i > 0 && n <= sizesOfStack[i - 1]!))
    throw new Error('--components must be increasing integers from 1 to 999, e.g. 10,50,200');
  const fast = int('scale-reps', values['scale-reps'], 5, 1);
  const scale = { sizes: sizesOfStack, reps: { fast, slow: Math.min(fast, 3) } };
  return { only, profile, scale, size, sizes, reps, quick, out, doc, keep: !!values.keep };
}

function runStats(runs: { wallMs: number; cpuMs: number; foreignLoad: number }[]): RunStats {
  return { wallMs: stat(runs.map((r) => r.wallMs)), cpuMs: stat(runs.map((r) => r.cpuMs)), foreignLoad: stat(runs.map((r) => r.foreignLoad)) };
}

async function main(): Promise<number> {
  let opts: ReturnType<typeof parseOptions>;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (opts === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if ('reportOnly' in opts) {
    if (opts.only.includes('pipeline')) {
      const results = JSON.parse(await readFile(join(opts.out, pipelineResultsFile(opts.profile)), 'utf8')) as BenchResults;
      await publish(results, opts.out, opts.doc);
    }
    if (opts.only.includes('scale')) await publishScale(await readScaleResults(join(opts.out, 'scale.json')), opts.out, opts.doc);
    if (opts.only.includes('sccache')) await publishSccache(JSON.parse(await readFile(join(opts.out, 'sccache.json'), 'utf8')) as SccacheResults, opts.out, opts.doc);
    if (opts.only.includes('bisect')) await publishBisect(JSON.parse(await readFile(join(opts.out, 'bisect.json'), 'utf8')) as BisectBenchResults, opts.out, opts.doc);
    return 0;
  }
  const o = opts;
  let code = 0;
  if (o.only.includes('pipeline')) code = await pipelineSection(o);
  if (o.only.includes('scale')) {
    const machine = await describeMachine(ROOT);
    const commit = (await execa('git', ['rev-parse', 'HEAD'], { cwd: ROOT, reject: false })).stdout.trim();
    log(`scale: stacks of ${o.scale.sizes.join(', ')} components, ${o.scale.reps.fast} run(s) per fast command, ${o.scale.reps.slow} per slow one`);
    await publishScale(await runScale({ ...o.scale, keep: o.keep, log }, machine, commit), o.out, o.doc);
  }
  if (o.only.includes('sccache')) {
    const missing = await sccacheMissing();
    if (missing.length) {
      process.stderr.write(`sccache section: missing ${missing.join(', ')}; install them with apt-get install ${SCCACHE_PACKAGES}\n`);
      return 2;
    }
    log(`sccache: ${o.reps} repetition(s) of three cold builds (plain, filling the backend, after the pin moved)`);
    await publishSccache(await runSccache({ reps: o.reps, keep: o.keep, log }), o.out, o.doc);
  }
  if (o.only.includes('bisect')) {
    const r = await runBisectBench({ keep: o.keep, log });
    await publishBisect(r, o.out, o.doc);
    // Written first, then judged: a missed bound or culprit still leaves its figures.
    if (!r.culpritFound || r.buildsUsed > r.bound + r.report.skipped.length) code = 1;
  }
  return code;
}

/** A part's results: its JSON in outDir, its table on stdout, its section spliced into the document. */
async function publishPart<R>(name: 'scale' | 'sccache' | 'bisect', results: R, outDir: string, doc: string | undefined, table: string, section: DocSection, render: (r: R) => string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, `${name}.json`);
  await writeFile(file, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(`${table}\n\nresults: ${file}\n`);
  if (doc) {
    const existing = await readFile(doc, 'utf8').catch(() => '');
    await mkdir(dirname(doc), { recursive: true });
    await writeFile(doc, spliceSection(existing, section, render(results)));
    process.stdout.write(`document: ${doc}\n`);
  }
}

const publishScale = (r: ScaleResults, outDir: string, doc: string | undefined) => publishPart('scale', r, outDir, doc, renderScaleTable(r), SCALE_SECTION, renderScaleSection);
const publishSccache = (r: SccacheResults, outDir: string, doc: string | undefined) => publishPart('sccache', r, outDir, doc, renderSccacheTable(r), SCCACHE_SECTION, renderSccacheSection);
const publishBisect = (r: BisectBenchResults, outDir: string, doc: string | undefined) => publishPart('bisect', r, outDir, doc, renderBisectTable(r), BISECT_SECTION, renderBisectSection);

async function pipelineSection(o: Options): Promise<number> {
  log(`sandbox: ${o.profile === 'seed' ? `seed profile, size ${o.size}, ${JSON.stringify(o.sizes)}` : `${o.profile} profile (its own crates; --size ignored)`}, ${o.reps} rep(s)${o.quick ? ', quick' : ''}`);
  let p: Pipeline<string> | undefined;
  const stop = async () => {
    const q = p;
    p = undefined;
    await q?.stop();
  };
  const onSignal = (sig: NodeJS.Signals) => {
    log(`${sig}: cleaning up`);
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    p = await startPipeline({ profile: o.profile, size: o.size, sizes: o.sizes, tag: true, keep: o.keep, toolCpu: true });
    log(`workspace ${p.sw.ws.dir}`);
    const results = await run(p, o);
    await publish(results, o.out, o.doc);
    return missedTargets(results);
  } finally {
    await stop();
  }
}

async function run(p: Pipeline<string>, o: Options): Promise<BenchResults> {
  const h = await Harness.open(p);
  const components = h.graph.components;
  const taskIds = Object.keys(h.deps);
  // A pin moves by a commit to the component's repository, which the real profile names apart from its id.
  const repositories = repositoriesByComponent(p.sw.profile.components);
  const machine = await describeMachine(ROOT);
  const nxJson = JSON.parse(await readFile(join(h.ws, 'nx.json'), 'utf8')) as { parallel?: number };
  const orchestratorCommit = (await execa('git', ['rev-parse', 'HEAD'], { cwd: ROOT, reject: false })).stdout.trim();
  log(`machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB; tasks: ${taskIds.join(' ')}`);

  log('cloning mirrors and checking out every pin (both work dirs)');
  await h.prepareSources();

  // ---- 1. cold: each task alone, ours, baseline; alternating and repeated ----
  const alone: Record<string, AloneRun[]> = {};
  const marginal: Record<string, AloneRun[]> = {};
  const oursCold: OursRun[] = [];
  const baselineCold: BaselineRun[] = [];
  const topo = topological(h.deps);
  let sweeps = 0;
  const sweep = async () => {
    // Marginal builds (only the component's own crate recompiled) once: they only size a proposal.
    const withMarginal = !o.quick && sweeps++ === 0;
    await h.wipeBaselineCaches();
    for (const t of topo) {
      const r = await h.runAlone(t);
      (alone[t] ??= []).push(r);
      let m = '';
      if (withMarginal && (t.endsWith(':build') || t.endsWith(':compile')) && t !== 'governance-app:build') {
        const mr = await h.runAlone(t, { marginal: true });
        (marginal[t] ??= []).push(mr);
        m = `, marginal ${fmtSeconds(mr.durationMs)}`;
      }
      log(`  alone ${t}: ${fmtSeconds(r.durationMs)} (nx run ${fmtSeconds(r.wallMs)}${m})`);
    }
  };
  const coldOurs = async () => {
    await h.wipeOurs();
    const r = await h.runOurs();
    oursCold.push(r);
    log(`  ours cold: ${fmtSeconds(r.wallMs)} (run-many ${fmtSeconds(r.runManyMs)}, foreign load ${(r.foreignLoad * 100).toFixed(0)}%)`);
  };
  const coldBaseline = async () => {
    const r = await h.runBaseline('bllvm-consensus');
    baselineCold.push(r);
    log(`  baseline cold: ${fmtSeconds(r.wallMs)} (foreign load ${(r.foreignLoad * 100).toFixed(0)}%)`);
  };
  // What if: the same cold run at Nx parallel 2 (one per core) instead of nx.json's 3. Once.
  const whatIfParallel2: OursRun[] = [];
  const coldOursParallel2 = async () => {
    await h.wipeOurs();
    const r = await h.runOurs({ parallel: 2 });
    whatIfParallel2.push(r);
    log(`  what-if ours cold --parallel 2: ${fmtSeconds(r.wallMs)} (foreign load ${(r.foreignLoad * 100).toFixed(0)}%)`);
  };
  for (let rep = 0; rep < o.reps; rep++) {
    log(`cold rep ${rep + 1}/${o.reps}`);
    const units = [sweep, coldOurs, coldBaseline];
    if (rep === 0 && !o.quick) units.splice(1, 0, coldOursParallel2);
    // Rotated each rep. Both ours units end with everything built, so ours is warm afterwards.
    for (let i = 0; i < units.length; i++) await units[(i + rep) % units.length]!();
  }
  // Ours must be warm for what follows: the last cold unit may have been the baseline or a sweep,
  // which do not touch ours' state, so ours is warm from its own last cold run.

  // ---- 2. nothing changed: no-op build and no-op nightly, plan and affected times ----
  log('no-op runs');
  const noopBuild: { wallMs: number; invocations: number; hashing: number }[] = [];
  const noopNightly: { wallMs: number; invocations: number; hashing: number }[] = [];
  let nightlyOutput = '';
  const planMs: number[] = [];
  const affectedMs: number[] = [];
  const memoryByRun: Record<string, number> = {};
  const noteMemory = (name: string, kb: number) => (memoryByRun[name] = Math.max(memoryByRun[name] ?? 0, kb / 1024));
  for (let rep = 0; rep < o.reps; rep++) {
    const b = await h.runOurs();
    const built = b.tasks.filter((t) => t.status === 'built');
    const raw = await h.rawCalls();
    noopBuild.push({ wallMs: b.wallMs, invocations: b.calls.length, hashing: raw.length - b.calls.length });
    noteMemory('no-op build', b.peakOrchestratorKb);
    if (built.length) log(`  warning: the no-op build built ${built.map((t) => t.task).join(', ')}`);
    await p.shims.reset();
    const n = await h.cli('nightly', '-c', CONFIGURATION, '--json');
    const calls = await p.shims.calls();
    const rawN = await h.rawCalls();
    nightlyOutput = (n.stdout + n.stderr).trim().split('\n').slice(-3).join('\n');
    if (n.exitCode !== 0) throw new Error(`no-op nightly failed:\n${n.stdout}\n${n.stderr}`);
    noopNightly.push({ wallMs: n.wallMs, invocations: calls.length, hashing: rawN.length - calls.length });
    noteMemory('no-op nightly', n.peakOrchestratorKb);
    const pl = await h.cli('plan', '--base', 'last-release', '--json');
    planMs.push(pl.wallMs);
    noteMemory('plan', pl.peakOrchestratorKb);
    const af = await h.nxCommand('show', 'projects', '--affected', '--base=last-release', '--json');
    affectedMs.push(af.wallMs);
    log(`  no-op build ${fmtSeconds(b.wallMs)} (${b.calls.length} calls), no-op nightly ${fmtSeconds(n.wallMs)} (${calls.length} calls), plan ${fmtMs(pl.wallMs)}, affected ${fmtMs(af.wallMs)}`);
  }

  // ---- 3. one component changes, warm cache: ours vs baseline, alternating ----
  const eventsOurs: Record<string, OursRun[]> = {};
  const eventsBaseline: Record<string, BaselineRun[]> = {};
  const scopeSeen: Record<string, string[][]> = {};
  let turn = 0;
  for (let rep = 0; rep < o.reps; rep++) {
    log(`events rep ${rep + 1}/${o.reps}`);
    for (const c of components) {
      const repository = repositories[c];
      if (!repository) throw new Error(`component ${c} is not in the ${o.profile} profile`);
      const sha = await addCommit(p.sw.org, repository);
      await p.sw.pin(c, sha);
      await p.sw.ws.git('commit', '-qam', `bench: move ${c} to ${sha.slice(0, 7)}`);
      const pl = await h.cli('plan', '--base', 'HEAD~1', '--json');
      planMs.push(pl.wallMs);
      const af = await h.nxCommand('show', 'projects', '--affected', '--base=HEAD~1', '--json');
      affectedMs.push(af.wallMs);
      const doOurs = async () => {
        const r = await h.runOurs({ base: 'HEAD~1' });
        (eventsOurs[c] ??= []).push(r);
        noteMemory('one-component event', r.peakOrchestratorKb);
        const scope = builtComponents(r.calls, components, h.folders);
        (scopeSeen[c] ??= []).push(scope);
        log(`  ${c}: ours ${fmtSeconds(r.wallMs)} built [${scope.join(' ')}]`);
      };
      const doBaseline = async () => {
        // The consensus event's baseline is exactly the cold baseline (same tasks, nothing cached,
        // build_consensus = build_all): its samples are reused rather than measured a second time.
        if (c === 'bllvm-consensus') return;
        const r = await h.runBaseline(c);
        (eventsBaseline[c] ??= []).push(r);
        log(`  ${c}: baseline ${fmtSeconds(r.wallMs)} [${r.tasks.map((t) => t.task).join(' ')}]`);
      };
      if (turn++ % 2 === 0) {
        await doOurs();
        await doBaseline();
      } else {
        await doBaseline();
        await doOurs();
      }
    }
  }
  eventsBaseline['bllvm-consensus'] = baselineCold;

  await p.sw.ws.git('tag', '-f', 'last-release');

  // ---- 4. profile of the time outside cargo ----
  log('profiling: Nx task process anatomy, executor steps, start-up costs');
  const profiled = profiledComponents(h.graph, taskIds);
  const anatomyTask = `${profiled.leaf}:build`;
  const anatomy: TaskAnatomy[] = [];
  for (let i = 0; i < 5; i++) {
    const a = await h.taskAnatomy(anatomyTask);
    if (a) anatomy.push(a);
  }
  const steps = [];
  for (const c of [profiled.leaf, profiled.deepest]) steps.push(await profileExecutorSteps(h.ws, h.oursEnv(), c, 5));
  const startup = await startupCosts(h.ws, h.oursEnv(), 3);

  // ---- analysis ----
  const perTask: BenchResults['perTask'] = {};
  for (const t of taskIds) {
    const a = alone[t] ?? [];
    perTask[t] = {
      coldMs: stat(a.map((r) => r.durationMs)),
      marginalMs: marginal[t] ? stat(marginal[t]!.map((r) => r.durationMs)) : undefined,
      toolMs: stat(a.map((r) => r.toolMs)),
      nxRunWallMs: stat(a.map((r) => r.wallMs)),
      cpuMs: stat(a.map((r) => r.cpuMs)),
    };
  }
  const coldW = (t: string) => perTask[t]!.coldMs.median;
  const marginalW = (t: string) => perTask[t]!.marginalMs?.median ?? perTask[t]!.coldMs.median;
  const cpCold = criticalPath(h.deps, coldW);
  const cpMarginal = criticalPath(h.deps, marginalW);
  const serial = serialSum(h.deps, coldW);
  const cpuSum = serialSum(h.deps, (t) => perTask[t]!.cpuMs.median);
  const capacityBound = Math.max(cpCold.ms, cpuSum / cpus().length);

  const oursColdStats = { ...runStats(oursCold), runManyMs: stat(oursCold.map((r) => r.runManyMs)) };
  const baselineColdStats = runStats(baselineCold);
  for (const r of oursCold) noteMemory('cold build', r.peakOrchestratorKb);
  const oursColdMed = oursColdStats.wallMs.median;

  const events: BenchResults['events'] = components.map((c) => {
    const ours = runStats(eventsOurs[c] ?? []);
    const baseline = runStats(eventsBaseline[c] ?? []);
    const before = (eventsOurs[c] ?? []).filter((r) => r.nx.length).map((r) => Math.min(...r.nx.map((n) => n.startMs)) - r.startedAtMs);
    return {
      component: c,
      ours,
      oursBeforeFirstTaskMs: stat(before),
      baseline,
      oursOverBaseline: ours.wallMs.median / baseline.wallMs.median,
      oursTasksBuilt: [...new Set((eventsOurs[c] ?? []).flatMap((r) => r.tasks.filter((t) => t.status === 'built').map((t) => t.task)))],
      baselineTasks: baselineTasks(c).map((t) => `${t.project}:${t.target}`),
    };
  });
  const scope = components.map((c) => {
    const seen = scopeSeen[c] ?? [];
    return { ...compareScope(h.graph, c, seen[0]), oursConsistentAcrossReps: seen.every((s) => sameSet(s, seen[0] ?? [])) };
  });

  // Overhead: every ours run that built something.
  const oursAll = [...oursCold, ...Object.values(eventsOurs).flat()];
  const execOver: number[] = [];
  const byTarget: Record<string, number[]> = {};
  const nxPer: number[] = [];
  const totalPer: number[] = [];
  const runOver: number[] = [];
  const cliOver: number[] = [];
  for (const r of oursAll) {
    for (const o of taskOverheads(r.tasks, r.nx)) {
      execOver.push(o.executorMs);
      (byTarget[o.task] ??= []).push(o.executorMs);
      if (o.nxMs !== undefined) nxPer.push(o.nxMs);
      if (o.totalMs !== undefined) totalPer.push(o.totalMs);
    }
    const dur = new Map(r.tasks.filter((t) => t.status === 'built' && t.executorMs !== undefined).map((t) => [t.task, t.executorMs!]));
    runOver.push(r.runManyMs - criticalPath(h.deps, (t) => dur.get(t) ?? 0).ms);
    cliOver.push(r.wallMs - r.runManyMs);
  }

  const allRuns = [...oursAll, ...baselineCold, ...Object.values(eventsBaseline).flat()];
  const peakRun = [...oursAll].sort((a, b) => b.peakOrchestratorKb - a.peakOrchestratorKb)[0];
  const peakProc = [...oursAll].sort((a, b) => b.peakProcessKb - a.peakProcessKb)[0];
  const memory = {
    peakOrchestratorMb: Math.max(...Object.values(memoryByRun), (peakRun?.peakOrchestratorKb ?? 0) / 1024),
    peakOrchestratorRssMb: Math.max(0, ...oursAll.map((r) => r.peakOrchestratorRssKb / 1024)),
    peakProcessMb: (peakProc?.peakProcessKb ?? 0) / 1024,
    peakProcess: peakProc?.peakProcess ?? '',
    byRun: memoryByRun,
  };

  const overhead: BenchResults['overhead'] = {
    executorPerTaskMs: stat(execOver),
    executorPerTaskByTarget: Object.fromEntries(Object.entries(byTarget).map(([k, v]) => [k, stat(v)])),
    nxPerTaskMs: stat(nxPer),
    totalPerTaskMs: stat(totalPer),
    nxRunOverheadMs: stat(runOver),
    cliOverheadMs: stat(cliOver),
    planMs: stat(planMs),
    affectedMs: stat(affectedMs),
    startup,
    steps,
    taskAnatomyTask: anatomyTask,
    taskAnatomy: Object.fromEntries(
      (['nodeStartMs', 'nxStartMs', 'typescriptMs', 'transpilerMs', 'executorImportMs', 'executorMs', 'restMs', 'totalMs', 'cpuBeforeExecutorMs', 'cpuMs'] as const).map((k) => [k, stat(anatomy.map((a) => a[k]))]),
    ) as Record<keyof TaskAnatomy, Stat>,
  };
  const whatIf: BenchResults['whatIf'] = {
    coldParallel2: whatIfParallel2.length ? { ...runStats(whatIfParallel2), oursDefault: oursColdStats.wallMs } : undefined,
  };

  const noop = {
    build: { wallMs: stat(noopBuild.map((r) => r.wallMs)), invocations: noopBuild.map((r) => r.invocations), hashingCalls: noopBuild.map((r) => r.hashing) },
    nightly: { wallMs: stat(noopNightly.map((r) => r.wallMs)), invocations: noopNightly.map((r) => r.invocations), hashingCalls: noopNightly.map((r) => r.hashing), output: nightlyOutput },
  };

  const parts = oursCold.map((r) => decompose(r, cpCold.path, (t) => perTask[t]!.toolMs.median)).filter((d): d is RunDecomposition => !!d);
  const decomposition = Object.fromEntries(
    (['beforePathMs', 'pathToolAloneMs', 'pathToolMs', 'pathOverheadMs', 'pathGapsMs', 'afterPathMs', 'wallMs'] as const).map((k) => [k, stat(parts.map((d) => d[k]))]),
  ) as Record<keyof RunDecomposition, Stat>;
  const loadAdjustedBound = Math.max(cpCold.ms, cpuSum / (cpus().length * Math.max(0.05, 1 - oursColdStats.foreignLoad.median)));
  const toolCpu = stat(oursCold.map((r) => r.toolCpuMs));
  const compilerBound = Math.max(cpCold.ms, toolCpu.median / cpus().length);
  const coldNightly: BenchResults['coldNightly'] = {
    toolCpuMs: toolCpu,
    compilerBoundMs: compilerBound,
    oursOverCompilerBound: oursColdMed / compilerBound,
    ours: oursColdStats,
    decomposition,
    loadAdjustedBoundMs: loadAdjustedBound,
    oursOverLoadAdjustedBound: oursColdMed / loadAdjustedBound,
    baseline: baselineColdStats,
    oursOverCriticalPath: oursColdMed / cpCold.ms,
    oursOverCapacityBound: oursColdMed / capacityBound,
    oursOverMarginalCriticalPath: oursColdMed / cpMarginal.ms,
    oursOverBaseline: oursColdMed / baselineColdStats.wallMs.median,
    oursOverSerialSum: oursColdMed / serial,
    baselineTasks: baselineTasks('bllvm-consensus').map((t) => `${t.project}:${t.target}`),
  };

  const targets: TargetCheck[] = [
    {
      name: `scope: ours = ideal for each of the ${components.length} components`,
      target: `${components.length} / ${components.length}`,
      value: `${scope.filter((s) => s.oursEqualsIdeal && s.oursConsistentAcrossReps).length} / ${scope.length}`,
      met: scope.every((s) => s.oursEqualsIdeal && s.oursConsistentAcrossReps),
    },
    {
      name: `cold nightly: ours ÷ compiler bound (max(critical path, cargo's CPU ÷ ${cpus().length} cores))`,
      target: '≤ 1.10',
      value: toolCpu.median > 0 ? fmtRatio(coldNightly.oursOverCompilerBound!) : "cargo's CPU not measured",
      met: toolCpu.median > 0 && coldNightly.oursOverCompilerBound! <= 1.1,
    },
    {
      name: 'cold nightly: ours ÷ critical path (not reachable when the compilers need more CPU than the path leaves)',
      target: '≤ 1.10',
      value: fmtRatio(coldNightly.oursOverCriticalPath),
      met: coldNightly.oursOverCriticalPath <= 1.1,
    },
    {
      name: 'no-op nightly: cargo/docker invocations',
      target: '0',
      value: String(Math.max(...noop.nightly.invocations)),
      met: Math.max(...noop.nightly.invocations) === 0,
    },
    {
      name: `no-op nightly: wall time (${machine.cores} cores)`,
      target: '< 5 s',
      value: fmtSeconds(noop.nightly.wallMs),
      met: noop.nightly.wallMs.median < 5000,
    },
    {
      name: 'no-op build (all cached): cargo/docker invocations',
      target: '0',
      value: String(Math.max(...noop.build.invocations)),
      met: Math.max(...noop.build.invocations) === 0,
    },
    {
      name: 'orchestration overhead per built task (outside cargo/docker, incl. Nx task start)',
      target: '< 300 ms',
      value: fmtMs(overhead.totalPerTaskMs.n ? overhead.totalPerTaskMs : overhead.executorPerTaskMs),
      met: (overhead.totalPerTaskMs.n ? overhead.totalPerTaskMs : overhead.executorPerTaskMs).median < 300,
    },
    {
      name: 'orchestration overhead per built task (executor only)',
      target: '< 300 ms',
      value: fmtMs(overhead.executorPerTaskMs),
      met: overhead.executorPerTaskMs.median < 300,
    },
    { name: 'plan (bllvm-release plan --base, whole process)', target: '< 2 s', value: fmtSeconds(overhead.planMs, 2), met: overhead.planMs.median < 2000 },
    { name: 'nx show projects --affected (whole process)', target: '< 2 s', value: fmtSeconds(overhead.affectedMs, 2), met: overhead.affectedMs.median < 2000 },
    { name: 'peak memory (PSS) of the orchestrator’s processes', target: '< 300 MB', value: `${memory.peakOrchestratorMb.toFixed(0)} MB`, met: memory.peakOrchestratorMb < 300 },
  ];

  return {
    schema: 1,
    generatedAt: new Date().toISOString(),
    benchWallMs: performance.now() - T0,
    machine,
    config: { profile: o.profile, size: o.size, sizes: o.sizes, reps: o.reps, quick: o.quick, nxParallel: nxJson.parallel, targets: TARGETS, configuration: CONFIGURATION, orchestratorCommit },
    taskGraph: h.deps,
    perTask,
    criticalPath: { cold: cpCold, marginal: cpMarginal, serialSumMs: serial, cpuSumMs: cpuSum, capacityBoundMs: capacityBound },
    coldNightly,
    whatIf,
    events,
    scope,
    noop,
    overhead,
    memory,
    contention: { foreignLoad: stat(allRuns.map((r) => r.foreignLoad)), loadAvgStart: stat(allRuns.map((r) => r.loadAvgStart)) },
    targets,
  };
}

/** Written first, judged after: the exit status is 1 when any target was missed, each named on stderr. */
function missedTargets(results: BenchResults): number {
  const missed = results.targets.filter((t) => !t.met);
  for (const t of missed) process.stderr.write(`target missed: ${t.name}: ${t.value} (target ${t.target})\n`);
  return missed.length ? 1 : 0;
}

/** Dependencies first. */
function topological(deps: Record<string, string[]>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string) => {
    if (seen.has(t)) return;
    seen.add(t);
    for (const d of deps[t] ?? []) visit(d);
    out.push(t);
  };
  for (const t of Object.keys(deps)) visit(t);
  return out;
}

/** The seed's results replace the generated part of the document; another profile's go to its own section. */
async function publish(results: BenchResults, outDir: string, doc: string | undefined): Promise<void> {
  const profile = results.config.profile ?? 'seed';
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, pipelineResultsFile(profile));
  await writeFile(file, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(renderTable(results) + '\n');
  process.stdout.write(`\nresults: ${file}\n`);
  if (doc) {
    const existing = await readFile(doc, 'utf8').catch(() => undefined);
    await mkdir(dirname(doc), { recursive: true });
    await writeFile(doc, profile === 'seed' ? renderMarkdown(results, existing) : spliceSection(existing ?? '', REAL_SECTION, renderRealSection(results)));
    process.stdout.write(`document: ${doc}\n`);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
