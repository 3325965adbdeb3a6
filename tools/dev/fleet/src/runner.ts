import { appendFile, cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { type ToolShims, WORKSPACE_ROOT, installToolShims } from '@bllvm/demo';
import { type ExpressionContext, type JobResult, type StepResult, condition, interpolate } from './expressions';
import { jobEnv, jobOutputs, stepEnv } from './job-env';
import type { Job, Step } from './workflow-jobs';

/**
 * One self-hosted runner: its own folder, HOME, work dir, Nx cache (inside its checkout, as on a
 * real runner) and tool shims counting its cargo and docker calls. Runners share nothing but
 * what they are given: the origin to clone, the services' addresses, the artifact store.
 */
export interface Runner {
  name: string;
  labels: string[];
  dir: string;
  checkout: string;
  shims: ToolShims;
  /** The runner machine's environment: services and PATH, never a secret (those come from the workflow). */
  env: Record<string, string>;
}

export interface RunnerOptions {
  name: string;
  labels: string[];
  /** Parent folder; the runner gets `<root>/<name>`. */
  root: string;
  /** What the machine provides: the engine's socket, the API's address, the git mirror base… */
  machineEnv: Record<string, string>;
}

export async function createRunner(o: RunnerOptions): Promise<Runner> {
  const dir = join(o.root, o.name);
  await rm(dir, { recursive: true, force: true });
  for (const d of ['home', 'temp', 'work']) await mkdir(join(dir, d), { recursive: true });
  const shims = await installToolShims(join(dir, 'shims'));
  const env: Record<string, string> = {
    ...o.machineEnv,
    PATH: `${shims.binDir}:${o.machineEnv.PATH ?? process.env.PATH}`,
    HOME: join(dir, 'home'),
    RUNNER_TEMP: join(dir, 'temp'),
    RUNNER_NAME: o.name,
    BLLVM_WORK_DIR: join(dir, 'work', '.bllvm'),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
  };
  return { name: o.name, labels: o.labels, dir, checkout: join(dir, 'work', 'orchestrator'), shims, env };
}

/** What a job needs from outside its runner. */
export interface JobContext {
  /** The orchestrator's repository (a bare clone standing in for GitHub's). */
  origin: string;
  workflowEnv: Record<string, string>;
  expressions: Omit<ExpressionContext, 'steps' | 'status' | 'env'>;
  /** Where upload-artifact puts and download-artifact takes (GitHub's artifact storage). */
  artifacts: string;
  /** The event payload file ($GITHUB_EVENT_PATH). */
  eventPath: string;
  /** Called with each line the job prints, prefixed by nothing: the caller labels it. */
  log?: (line: string) => void;
  /** What the job's own if: sees of its needs (schedule.ts needsStatus); its steps start from success. */
  needsStatus?: ExpressionContext['status'];
  /** Stops the job (a runner lost): the current step is killed, the job ends cancelled. */
  signal?: AbortSignal;
}

export interface StepRecord {
  name: string;
  result: StepResult;
  ms: number;
  note?: string;
}

export interface JobRun {
  job: string;
  runner: string;
  result: JobResult;
  outputs: Record<string, string>;
  steps: StepRecord[];
  /** When the job started (ms since the epoch) and how long it took. */
  startedAt: number;
  ms: number;
  /** Everything the steps printed. */
  output: string;
}

/** Actions the rehearsal stands in for, by name (without the @ref): what each does on a runner here. */
const KNOWN_ACTIONS = ['actions/checkout', 'actions/setup-node', 'actions/upload-artifact', 'actions/download-artifact', 'actions/attest-build-provenance'] as const;

/**
 * Runs one job on `runner` the way the GitHub runner does: its `if:`, then each step's `if:`, the
 * `run:` scripts with bash -eo pipefail and the step's environment (secrets only where the
 * workflow maps them), $GITHUB_OUTPUT read back into steps.<id>.outputs, then the job's outputs.
 */
export async function runJob(job: Job, runner: Runner, ctx: JobContext): Promise<JobRun> {
  const started = Date.now();
  const base: ExpressionContext = { ...ctx.expressions, steps: {}, env: {}, status: ctx.needsStatus ?? 'success' };
  if (!condition(job.if, base)) return { job: job.id, runner: runner.name, result: 'skipped', outputs: {}, steps: [], startedAt: started, ms: 0, output: '' };
  const records: StepRecord[] = [];
  let output = '';
  const say = (line: string) => {
    output += `${line}\n`;
    ctx.log?.(line);
  };
  base.status = 'success';
  for (const [i, step] of job.steps.entries()) {
    base.env = jobEnv(ctx.workflowEnv, job, base);
    if (ctx.signal?.aborted) base.status = 'cancelled';
    if (!condition(step.if, base)) {
      records.push({ name: step.name, result: 'skipped', ms: 0 });
      continue;
    }
    const t = Date.now();
    say(`▶ ${step.name}`);
    const outFile = join(runner.dir, 'temp', `output-${i}`);
    await writeFile(outFile, '');
    let result: StepResult = 'success';
    let note: string | undefined;
    try {
      if (step.uses) note = await runAction(step, runner, ctx, base);
      else if (step.run !== undefined) {
        const env = { ...runner.env, ...stepEnv(ctx.workflowEnv, job, step, base), GITHUB_OUTPUT: outFile, GITHUB_STEP_SUMMARY: join(runner.dir, 'temp', 'summary.md'), GITHUB_EVENT_PATH: ctx.eventPath, GITHUB_WORKSPACE: runner.checkout };
        if (step.run.trim() === 'npm ci') {
          // Offline: the runner's node_modules is the workspace's, linked (npm ci would fetch from the registry).
          await symlink(join(WORKSPACE_ROOT, 'node_modules'), join(runner.checkout, 'node_modules')).catch((e: NodeJS.ErrnoException) => {
            if (e.code !== 'EEXIST') throw e;
          });
          note = 'node_modules linked (offline)';
        } else {
          const script = join(runner.dir, 'temp', `step-${i}.sh`);
          await writeFile(script, step.run);
          // Its own process group: a lost runner takes every process of the step with it (Nx, its
          // task processes, cargo), as a machine that goes away does; killing bash alone would not.
          const child = execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: runner.checkout, env, extendEnv: false, reject: false, all: true, detached: true });
          const lose = () => {
            try {
              process.kill(-child.pid!, 'SIGKILL');
            } catch {
              // already gone
            }
          };
          ctx.signal?.addEventListener('abort', lose, { once: true });
          const r = await child;
          ctx.signal?.removeEventListener('abort', lose);
          for (const line of String(r.all ?? '').split('\n')) if (line) say(`  ${line}`);
          if (ctx.signal?.aborted) result = 'cancelled';
          else if (r.exitCode !== 0) result = 'failure';
        }
      }
    } catch (e) {
      result = ctx.signal?.aborted ? 'cancelled' : 'failure';
      say(`  ${(e as Error).message}`);
    }
    const outputs = parseOutputs(await readFile(outFile, 'utf8').catch(() => ''));
    if (step.id) base.steps[step.id] = { outcome: result, conclusion: result, outputs };
    records.push({ name: step.name, result, ms: Date.now() - t, note });
    if (result !== 'success') base.status = result === 'cancelled' ? 'cancelled' : 'failure';
  }
  const outputs = base.status === 'success' ? jobOutputs(ctx.workflowEnv, job, base) : {};
  return { job: job.id, runner: runner.name, result: base.status as JobResult, outputs, steps: records, startedAt: started, ms: Date.now() - started, output };
}

async function runAction(step: Step, runner: Runner, ctx: JobContext, base: ExpressionContext): Promise<string> {
  const action = step.uses!.split('@')[0]!;
  const w = interpolated(step.with, base);
  switch (action as (typeof KNOWN_ACTIONS)[number]) {
    case 'actions/checkout': {
      await rm(runner.checkout, { recursive: true, force: true });
      await execa('git', ['clone', '--quiet', ctx.origin, runner.checkout]);
      if (w.ref) await execa('git', ['checkout', '--quiet', '--detach', w.ref], { cwd: runner.checkout });
      return `cloned at ${(await execa('git', ['rev-parse', '--short', 'HEAD'], { cwd: runner.checkout })).stdout}`;
    }
    case 'actions/setup-node':
      return `node ${process.version} (the runner's)`;
    case 'actions/upload-artifact': {
      const to = join(ctx.artifacts, w.name ?? 'artifact');
      await mkdir(to, { recursive: true });
      await cp(w.path!, join(to, w.path!.split('/').at(-1)!), { recursive: true });
      return `stored ${w.name}`;
    }
    case 'actions/download-artifact': {
      const from = join(ctx.artifacts, w.name ?? 'artifact');
      await mkdir(w.path!, { recursive: true });
      await cp(from, w.path!, { recursive: true });
      return `fetched ${w.name}`;
    }
    case 'actions/attest-build-provenance':
      return 'skipped: GitHub-only (Sigstore and the attestations API); the release carries its own provenance';
    default:
      throw new Error(`the rehearsal cannot run ${step.uses}: it knows ${KNOWN_ACTIONS.join(', ')}`);
  }
}

function interpolated(values: Record<string, string>, ctx: ExpressionContext): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, interpolate(v, ctx)]));
}

/** `$GITHUB_OUTPUT`: `name=value` lines and `name<<DELIM` … `DELIM` blocks. Pure. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) body.push(lines[i]!);
      out[name!] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** Appends to the runner's job log file (kept for a failed rehearsal). */
export async function keepLog(runner: Runner, run: JobRun): Promise<string> {
  const file = join(runner.dir, `${run.job}.log`);
  await appendFile(file, run.output);
  return file;
}
