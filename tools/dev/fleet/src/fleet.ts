import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { NX_LOCAL_ENV, readTaskRecord, taskRecordsDir } from '@bllvm/contract';
import { type Pipeline, ORCHESTRATOR_REPOSITORY, addOrigin, startPipeline } from '@bllvm/demo';
import { RUNNER_CLASSES, RUNNER_CLASS_NAMES, type RunnerClass } from '@bllvm/manifest';
import { addCommit } from '@bllvm/sandbox';
import { type CacheProcess, startCacheProcess } from './cache-process';
import { type PoisonAttempt, poisonAttempts } from './poison';
import { askCache, probeRunner } from './probe';
import { type JobOutcome, type WorkflowRunOptions, runWorkflow } from './run-workflow';
import { REGISTERED_RUNNERS } from './runner-kinds';
import { type Workflow, readWorkflow } from './workflow-jobs';

/** Secrets the pipeline holds for the publish step; on the fleet they reach a job only through the workflow. */
const SECRET_ENV = ['GITHUB_TOKEN', 'BLLVM_RELEASE_SIGNING_KEY', 'BLLVM_PROVENANCE_KEY', 'BLLVM_CARGO_REGISTRY_TOKEN'] as const;

export interface JobLine {
  job: string;
  runner: string;
  labels: string[];
  /** The kind of registered runner it ran on (runner-kinds.ts): a runner class, or release for the jobs that hold tokens. */
  runnerClass: string;
  result: string;
  /** Tasks of the job's runner class, from the plan job's plan. */
  tasks: string[];
  /** Tasks whose executor ran on this runner (their task records), the rest came from the cache. */
  built: string[];
  cargo: number;
  docker: number;
  ms: number;
  /** The last lines the job printed, when it did not succeed. */
  tail?: string;
}

export interface FleetReport {
  tag?: string;
  published: boolean;
  jobs: JobLine[];
  lostRunner?: { job: string; lostAfterTasks: number; unfinished: string[]; rebuilt: string[] };
  poisoning: PoisonAttempt[];
  wallMs: number;
  /** Sum of the class jobs' times: what one runner doing all their work would take. */
  oneRunnerMs: number;
  /** The longest needs-chain of jobs: the fleet's lower bound. */
  criticalPathMs: number;
  /** With `baseline`: the same build, test and proof work as one job on one runner, cold (the old single build job). */
  oneRunnerBaselineMs?: number;
  /** The develop pre-releases (`X.Y.Z-dev.N`) the sandbox registry holds after the run: what the publish job uploaded. */
  developCrates: { name: string; version: string; yanked: boolean }[];
}

export interface FleetOptions {
  /** Root of the runner folders (default: beside the pipeline's workspace). */
  dir?: string;
  /** Lose the builds runner once this many of its tasks have finished, then replace it. */
  loseBuildsRunnerAt?: number;
  keep?: boolean;
  /** Also time the same work on one runner, as one job (the bench's baseline). */
  baseline?: boolean;
  log?: (line: string) => void;
}

/**
 * The fleet rehearsal: the nightly workflow's jobs, each on a runner of its own (separate clone,
 * HOME, work dir and Nx cache) of the kind its labels get it (runner-kinds.ts: a class's runner,
 * or a release runner for the jobs holding tokens), sharing nothing but the cache server on 127.0.0.1, the sandbox
 * org, podman and the local GitHub API; each job runs the commands .github/workflows/nightly.yml
 * gives it, with the secrets that file maps to it and no other.
 */
export async function runFleet(o: FleetOptions = {}): Promise<FleetReport> {
  const started = Date.now();
  const log = o.log ?? ((line: string) => console.log(line));
  const p = await startPipeline({ tag: true });
  const root = o.dir ?? join(p.sw.ws.dir, '..', 'fleet');
  let cache: CacheProcess | undefined;
  try {
    await mkdir(root, { recursive: true });
    cache = await startCacheProcess(join(root, 'cache'));
    log(`cache server: ${cache.url} (read and write tokens made for this run)`);
    const origin = await prepareOrigin(p, root);
    const workflow = readWorkflow(await readFile(join(p.sw.ws.dir, '.github/workflows/nightly.yml'), 'utf8'));
    // Something for the nightly to do: a new commit of the stack's first component moves every pin downstream.
    const first = p.sw.org.repositories[0]!;
    await addCommit(p.sw.org, first, { message: `${first}: a change for the fleet's nightly` });

    const opts = await workflowOptions(p, cache, root, origin, log);
    const poisoning: PoisonAttempt[] = [];
    // pin and plan: the commit and the work of each class.
    let done = await runWorkflow(workflow, { ...opts, run: 'main', only: ['pin', 'plan'] });
    const planJob = done.get('plan');
    if (planJob?.result !== 'success') return report();
    // A pull request's runner knows the hashes main is about to use (the same pins, the same
    // inputs): it tries to plant entries under them before main's class jobs write them.
    poisoning.push(...(await poisonAttempts({ cache, p, root, origin, commit: done.get('pin')!.outputs.commit!, phase: 'before', opts })));

    let lost: FleetReport['lostRunner'];
    const rest = ['builds', 'perf', 'docker', 'publish'];
    if (o.loseBuildsRunnerAt !== undefined) {
      const at = o.loseBuildsRunnerAt;
      done = await runWorkflow(workflow, {
        ...opts,
        run: 'main',
        done,
        only: rest,
        onStart: (job, runner, lose) => {
          if (job.id !== 'builds') return;
          // Lost once `at` of its tasks have finished (their records), and a moment for Nx to store them.
          const poll = setInterval(() => {
            void recordedTasks(runner.dir, 0).then((done) => {
              if (done.length < at) return;
              clearInterval(poll);
              setTimeout(() => {
                log(`✗ the builds runner is lost (after ${done.length} of its tasks finished)`);
                lose();
              }, 1000);
            });
          }, 250);
        },
      });
      const unfinished = await unfinishedTasks(cache, root, origin, done.get('pin')!.outputs.commit!, 'builds', opts);
      // GitHub's "re-run failed jobs": the cancelled job and the ones that needed it, on fresh runners.
      const failed = [...done.values()].filter((j) => j.result !== 'success' && rest.includes(j.job)).map((j) => j.job);
      const kept = new Map([...done].filter(([id]) => !failed.includes(id)));
      done = await runWorkflow(workflow, { ...opts, run: 'replacement', done: kept, only: failed });
      const replacement = done.get('builds')!;
      lost = { job: 'builds', lostAfterTasks: at, unfinished, rebuilt: await builtTasks(join(root, `${replacement.runner}`), replacement) };
    } else {
      done = await runWorkflow(workflow, { ...opts, run: 'main', done, only: rest });
    }
    poisoning.push(...(await poisonAttempts({ cache, p, root, origin, commit: done.get('pin')!.outputs.commit!, phase: 'after', opts })));
    const baselineMs = o.baseline ? await oneRunner(root, origin, done.get('pin')!.outputs.commit!, opts, log) : undefined;
    return report(done, poisoning, lost, baselineMs);

    async function report(jobs = done, attempts: PoisonAttempt[] = poisoning, lostRunner = lost, oneRunnerBaselineMs?: number): Promise<FleetReport> {
      const plan = await readPlan(root, jobs.get('plan'));
      const lines: JobLine[] = [];
      for (const j of jobs.values()) lines.push(await jobLine(root, j, plan));
      const publish = jobs.get('publish');
      const classMs = ['builds', 'perf', 'docker'].reduce((s, id) => s + (jobs.get(id)?.ms ?? 0), 0);
      const r: FleetReport = {
        tag: publish?.result === 'success' ? latestTag(p) : undefined,
        published: publish?.result === 'success',
        jobs: lines,
        lostRunner,
        poisoning: attempts,
        wallMs: Date.now() - started,
        oneRunnerMs: classMs,
        criticalPathMs: criticalPath(workflow, jobs),
        ...(oneRunnerBaselineMs !== undefined ? { oneRunnerBaselineMs } : {}),
        developCrates: p.sw.registry.state.snapshot().flatMap((c) => c.versions.filter((v) => /-dev\.\d+$/.test(v.vers)).map((v) => ({ name: c.name, version: v.vers, yanked: v.yanked }))),
      };
      for (const line of formatReport(r)) log(line);
      return r;
    }
  } finally {
    await cache?.stop();
    if (!o.keep) await rm(root, { recursive: true, force: true });
    await p.stop();
  }
}

/**
 * The orchestrator's repository as the runners clone it: the sandbox workspace with this
 * machine's proofs (the sandbox configuration of `verify`: cargo test, no kani), pushed to a bare origin.
 */
async function prepareOrigin(p: Pipeline, root: string): Promise<string> {
  for (const dir of await readdir(join(p.sw.ws.dir, 'apps'))) {
    const file = join(p.sw.ws.dir, 'apps', dir, 'project.json');
    const project = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as { targets?: Record<string, { configurations?: Record<string, unknown>; defaultConfiguration?: string }> };
    const verify = project.targets?.verify;
    if (verify?.configurations?.sandbox) {
      verify.defaultConfiguration = 'sandbox';
      await writeFile(file, JSON.stringify(project, null, 2) + '\n');
    }
  }
  await p.sw.ws.git('commit', '-qam', 'fleet: proofs run as the sandbox configuration on this machine');
  await p.sw.ws.git('tag', '-f', 'last-release');
  return addOrigin(p.sw.ws, root);
}

async function workflowOptions(p: Pipeline, cache: CacheProcess, root: string, origin: string, log: (line: string) => void): Promise<Omit<WorkflowRunOptions, 'run'>> {
  const machineEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.sw.ws.env)) if (v !== undefined && !(SECRET_ENV as readonly string[]).includes(k) && k !== 'PATH') machineEnv[k] = v;
  Object.assign(machineEnv, {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    // Installed toolchains, found whatever HOME the runner gives a job.
    RUSTUP_HOME: process.env.RUSTUP_HOME ?? join(homedir(), '.rustup'),
    GIT_CONFIG_NOSYSTEM: '1',
    LANG: 'C.UTF-8',
  });
  const eventPath = join(root, 'event.json');
  await writeFile(eventPath, JSON.stringify({ schedule: '0 2 * * *' }));
  const artifacts = join(root, 'artifacts');
  await mkdir(artifacts, { recursive: true });
  return {
    root,
    registered: REGISTERED_RUNNERS,
    machineEnv,
    origin,
    artifacts,
    eventPath,
    contexts: {
      secrets: {
        ORCHESTRATOR_TOKEN: p.token,
        GITHUB_TOKEN: p.token,
        BLLVM_RELEASE_SIGNING_KEY: p.sw.ws.env.BLLVM_RELEASE_SIGNING_KEY!,
        BLLVM_PROVENANCE_KEY: p.sw.ws.env.BLLVM_PROVENANCE_KEY!,
        ...(p.sw.ws.env.BLLVM_CARGO_REGISTRY_TOKEN ? { BLLVM_CARGO_REGISTRY_TOKEN: p.sw.ws.env.BLLVM_CARGO_REGISTRY_TOKEN } : {}),
        NX_CACHE_WRITE_TOKEN: cache.writeToken,
        NX_CACHE_READ_TOKEN: cache.readToken,
      },
      vars: { NX_CACHE_URL: cache.url },
      inputs: {},
      github: { event_name: 'schedule', ref: 'refs/heads/main', repository: ORCHESTRATOR_REPOSITORY },
    },
    log: (job, line) => log(`[${job}] ${line}`),
  };
}

interface ClassPlan {
  classes: Record<string, { labels: string[]; tasks: string[] }>;
}

async function readPlan(root: string, plan: JobOutcome | undefined): Promise<ClassPlan | undefined> {
  if (!plan || plan.result !== 'success') return undefined;
  return JSON.parse(await readFile(join(root, plan.runner, 'temp', 'plan.json'), 'utf8').catch(() => 'null')) ?? undefined;
}

/** The tasks whose executor ran on a runner since `since` (their task records in its checkout), but the release gates. */
async function recordedTasks(runnerDir: string, since: number, until = Infinity): Promise<string[]> {
  const checkout = join(runnerDir, 'work', 'orchestrator');
  const records = taskRecordsDir(checkout);
  const out: string[] = [];
  for (const project of await readdir(records).catch(() => [] as string[])) {
    for (const file of await readdir(join(records, project)).catch(() => [] as string[])) {
      if (!file.endsWith('.json')) continue;
      const [target, configuration] = file.replace(/\.json$/, '').split('.') as [string, string | undefined];
      if (NOT_BUILDS.includes(target)) continue;
      const r = await readTaskRecord(checkout, { project, target, ...(configuration ? { configuration } : {}) }, since);
      if (r && r.endedAt <= until) out.push(`${project}:${target}`);
    }
  }
  return out.sort();
}

/** Targets that build nothing: the release gates, publishing, the graph check. */
const NOT_BUILDS = ['release', 'graph-check'];

function builtTasks(runnerDir: string, job: JobOutcome): Promise<string[]> {
  return recordedTasks(runnerDir, job.startedAt, job.startedAt + job.ms);
}

async function jobLine(root: string, j: JobOutcome, plan: ClassPlan | undefined): Promise<JobLine> {
  const cls = classOfLabels(j.labels);
  // A class job runs its class's tasks; the pin, plan and publish jobs run none of them.
  // Plans name a task with its configuration (`c:verify:sandbox`); records by project and target.
  const tasks = plan && cls && j.job === cls ? (plan.classes[cls]?.tasks ?? []).map((t) => t.split(':').slice(0, 2).join(':')) : [];
  const built = j.runner === '-' ? [] : await builtTasks(join(root, j.runner), j);
  const tail = j.result === 'success' || j.result === 'skipped' ? undefined : j.output.split('\n').slice(-60).join('\n');
  return { job: j.job, runner: j.runner, labels: j.labels, runnerClass: j.kind ?? cls ?? '-', result: j.result, tasks, built, cargo: j.cargo, docker: j.docker, ms: j.ms, ...(tail ? { tail } : {}) };
}

/** The runner class whose labels these are (libs/manifest's table), if any. Pure. */
export function classOfLabels(labels: readonly string[]): RunnerClass | undefined {
  return RUNNER_CLASS_NAMES.find((c) => RUNNER_CLASSES[c].join(',') === labels.join(','));
}

/** The class jobs' work as the single build job did it: one runner, no shared cache, cold. */
async function oneRunner(root: string, origin: string, commit: string, opts: Omit<WorkflowRunOptions, 'run'>, log: (line: string) => void): Promise<number> {
  const runner = await probeRunner(root, 'one-runner', origin, commit, opts);
  const started = Date.now();
  const r = await execa(process.execPath, ['tools/ship/cli/bin/bllvm-release.cjs', 'build', '--targets', 'build,test,verify,package'], {
    cwd: runner.checkout,
    env: { ...runner.env, ...NX_LOCAL_ENV },
    extendEnv: false,
    reject: false,
  });
  const ms = Date.now() - started;
  log(`one runner, one job, cold: build --targets build,test,verify,package ${r.exitCode === 0 ? 'passed' : `failed (${r.exitCode})`} in ${(ms / 1000).toFixed(1)} s`);
  return ms;
}

/** Which tasks of `cls` the shared cache does not hold yet (asked with the read token). */
async function unfinishedTasks(cache: CacheProcess, root: string, origin: string, commit: string, cls: string, opts: Omit<WorkflowRunOptions, 'run'>): Promise<string[]> {
  const tasks = await askCache(cache, root, 'probe-after-loss', origin, commit, opts);
  return tasks.filter((t) => t.status === 'missing' && t.runnerClass === cls).map((t) => t.id).sort();
}

function latestTag(p: Pipeline): string | undefined {
  const [owner, repo] = ORCHESTRATOR_REPOSITORY.split('/') as [string, string];
  return p.api.state.releases(owner, repo).at(-1)?.tagName;
}

/** The longest chain of jobs by `needs`, by their measured times. Pure. */
export function criticalPath(wf: Workflow, jobs: ReadonlyMap<string, { ms: number }>): number {
  const memo = new Map<string, number>();
  const longest = (id: string): number => {
    if (memo.has(id)) return memo.get(id)!;
    const job = wf.jobs.find((j) => j.id === id);
    const v = (jobs.get(id)?.ms ?? 0) + Math.max(0, ...(job?.needs ?? []).map(longest));
    memo.set(id, v);
    return v;
  };
  return Math.max(0, ...wf.jobs.map((j) => longest(j.id)));
}

/** The summary the rehearsal prints: one line per job, then the poisoning attempts. Pure. */
export function formatReport(r: FleetReport): string[] {
  const lines = ['', 'fleet rehearsal:'];
  for (const j of r.jobs) {
    const cls = j.runnerClass;
    const tasks = j.tasks.length ? `${j.tasks.length} tasks: ${j.built.length} built, ${j.tasks.length - j.built.filter((t) => j.tasks.includes(t)).length} from the cache` : j.built.length ? `${j.built.length} built` : 'no build tasks';
    lines.push(`  ${j.job.padEnd(8)} ${j.result.padEnd(9)} runner ${j.runner.padEnd(20)} kind ${cls.padEnd(14)} ${tasks.padEnd(36)} cargo ${String(j.cargo).padStart(3)}  docker ${String(j.docker).padStart(3)}  ${(j.ms / 1000).toFixed(1)} s`);
  }
  if (r.lostRunner) lines.push(`  lost runner: ${r.lostRunner.job} lost after ${r.lostRunner.lostAfterTasks} of its tasks; unfinished ${r.lostRunner.unfinished.length}, rebuilt by its replacement ${r.lostRunner.rebuilt.length}: ${r.lostRunner.rebuilt.join(', ') || '-'}`);
  for (const a of r.poisoning) lines.push(`  poisoning: ${a.attempt}: ${a.outcome}`);
  if (r.developCrates.length) lines.push(`  develop set uploaded: ${r.developCrates.map((c) => `${c.name} ${c.version}`).join(', ')}`);
  lines.push(`  published: ${r.published ? r.tag : 'nothing'}; wall ${(r.wallMs / 1000).toFixed(0)} s; class jobs one after another ${(r.oneRunnerMs / 1000).toFixed(0)} s; critical path ${(r.criticalPathMs / 1000).toFixed(0)} s`);
  if (r.oneRunnerBaselineMs !== undefined) lines.push(`  the same work on one runner, one job, cold: ${(r.oneRunnerBaselineMs / 1000).toFixed(0)} s`);
  return lines;
}
