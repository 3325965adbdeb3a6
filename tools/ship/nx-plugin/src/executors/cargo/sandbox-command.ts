import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { OrchestratorConfig } from '@bllvm/contract';
import { type LimitKind, type SandboxLimits, type SandboxSpec, SANDBOX_PATHS, runInSandbox } from '@bllvm/hermetic';
import { type ComponentProjectFile, componentShape, componentTargets } from '@bllvm/manifest';
import { type ComponentContext, loadComponent } from '../../lib/component';
import { normalizeCargoRequest } from './request';
import { type TaskLayout, taskSandbox } from './sandbox';
import type { CargoExecutorOptions } from './schema';
import { prepareSources } from './sources';

/** Where the command finds the outputs of the state's tasks (dist/<component>), read-only. */
export const SANDBOX_DIST = '/dist';

export interface SandboxCommandRequest {
  /** The workspace whose pins name the state (a scratch clone). */
  workspaceRoot: string;
  component: string;
  /** The cargo target the command runs beside (build, test, verify): its options, its target dir. */
  target: string;
  config: OrchestratorConfig;
  /** The operator's command: one argv element of `sh -c`, never shell text of ours. */
  command: string;
  /** Only the allow-listed variables of it reach the sandbox, as for a cargo task. */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export interface SandboxCommandRun {
  /**
   * Whether the sandbox started the command (runInSandbox's `started`): when not, the exit code
   * is the sandbox's (125 or 1, which a bisection would read as skip or bad), not the command's,
   * and the output is the sandbox's stderr, saying why.
   */
  started: boolean;
  exitCode?: number;
  signal?: string;
  timedOut: boolean;
  limitHit?: LimitKind;
  limits: SandboxLimits;
  /** The tail of what the command printed (stderr, then stdout). */
  output: string;
  ms: number;
}

const OUTPUT_TAIL = 20_000;

/**
 * Runs an operator's command beside a component's cargo task, in the same build sandbox the task
 * ran in (taskSandbox, runInSandbox): the state's checkouts read-only at /src, the task's target
 * dir writable at /target, the environment of a cargo task (allow-list, no token, no network),
 * the task's limits. Also, read-only: the state's outputs at /dist (dist/<component>, exactly what
 * Nx built or restored for these pins; the target dir is cargo's and may hold another state's
 * binaries after a cache hit), and cargo's configuration of the build (the registry and the
 * upstream patches) as the cargo home's config.toml, so a `cargo test` of the command resolves
 * as the task did. Meant to run after the task passed in this workspace: the checkouts, the
 * dependencies and the target's options are then those the task used.
 */
export async function runSandboxCommand(req: SandboxCommandRequest): Promise<SandboxCommandRun> {
  const ctx = await loadComponent(req.workspaceRoot, req.component, req.config);
  const options = await cargoTargetOptions(ctx, req.target);
  const cargo = normalizeCargoRequest(ctx, options, { outDir: ctx.self.dist.dir, log: req.log, env: req.env });
  const prepared = await prepareSources(cargo);
  const scratch = join(ctx.sources.workDir, 'scratch', `${ctx.component}-command-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(scratch, { recursive: true });
    const configFile = join(scratch, 'config.toml');
    await writeFile(configFile, cargoConfigToml(prepared.config));
    await mkdir(ctx.self.dist.dir, { recursive: true });
    const spec = commandSandbox(prepared.layout, prepared.sysroot, cargo.sandboxEnv, req.command, cargo.limits.tmpMiB, { dist: ctx.self.dist.dir, cargoConfig: configFile });
    req.log(`${ctx.component}@${cargo.short}: sh -c ${JSON.stringify(req.command)} (in the build sandbox, beside ${req.target})`);
    const started = Date.now();
    const r = await runInSandbox(spec, { stdout: 'pipe', stderr: 'pipe', limits: cargo.limits });
    const output = [String(r.stderr ?? ''), String(r.stdout ?? '')].filter((s) => s.trim()).join('\n').slice(-OUTPUT_TAIL);
    return {
      started: r.started,
      ...(r.exitCode === undefined ? {} : { exitCode: r.exitCode }),
      ...(r.signal ? { signal: r.signal } : {}),
      timedOut: r.timedOut,
      ...(r.limitHit ? { limitHit: r.limitHit } : {}),
      limits: cargo.limits,
      output,
      ms: Date.now() - started,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The sandbox of a command run beside a task: the task's own (taskSandbox: checkouts read-only,
 * the target dir writable, the cargo home a tmpfs with the registry cache read-only), plus two
 * read-only mounts, and `sh -c <command>` as the argv: the command is one argument of the shell,
 * never part of a script of ours. Pure.
 */
export function commandSandbox(layout: TaskLayout, sysroot: string, env: Record<string, string>, command: string, tmpMiB: number, extra: { dist: string; cargoConfig: string }): SandboxSpec {
  const spec = taskSandbox(layout, sysroot, env, ['sh', '-c', command], tmpMiB);
  return {
    ...spec,
    mounts: [
      ...spec.mounts,
      { host: extra.dist, at: SANDBOX_DIST },
      { host: extra.cargoConfig, at: posix.join(SANDBOX_PATHS.cargoHome, 'config.toml') },
    ],
  };
}

/**
 * The task's cargo `--config` flags as a config.toml: each flag's value is a TOML `key=value`
 * line already (cargo parses it as one), so the file is those lines. Pure.
 */
export function cargoConfigToml(configArgs: readonly string[]): string {
  const lines: string[] = [];
  for (let i = 0; i < configArgs.length; i++) {
    if (configArgs[i] !== '--config' || configArgs[i + 1] === undefined) throw new Error(`not a cargo --config flag: ${configArgs[i]}`);
    lines.push(configArgs[++i]!);
  }
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * The options of the component's cargo target as Nx runs it: the inferred target's options with
 * project.json's over them. `target` itself when it runs cargo, else `compile` (an image's build
 * is docker's, over the static binaries `compile` built). These options already ran: the task
 * passed in this workspace before the command is run beside it.
 */
async function cargoTargetOptions(ctx: ComponentContext, target: string): Promise<CargoExecutorOptions> {
  const file = join(ctx.workspaceRoot, ctx.self.projectRoot, 'project.json');
  const project = JSON.parse(await readFile(file, 'utf8')) as ComponentProjectFile & { targets?: Record<string, { executor?: string; options?: Record<string, unknown> }> };
  const shape = componentShape(project);
  if (!shape) throw new Error(`${ctx.self.projectRoot}/project.json is not a component's project.json`);
  const inferred = componentTargets(shape);
  const isCargo = (name: string) => (project.targets?.[name]?.executor ?? inferred[name]?.executor)?.endsWith(':cargo') ?? false;
  const name = [target, 'compile'].find(isCargo);
  if (!name) throw new Error(`${ctx.component}:${target} is not a cargo task, and ${ctx.component} has no cargo compile target to run a command beside`);
  return { ...inferred[name]?.options, ...project.targets?.[name]?.options } as unknown as CargoExecutorOptions;
}
