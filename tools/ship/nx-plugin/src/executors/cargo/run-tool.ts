import { rm } from 'node:fs/promises';
import { type LimitKind, describeLimit, runInSandbox } from '@bllvm/hermetic';
import type { CargoRequest } from './request';
import type { PreparedSources } from './sources';
import { taskSandbox } from './sandbox';
import { toolVersion } from './tool-version';

export interface ToolRun {
  timedOut: boolean;
  exitCode?: number;
  signal?: string;
  /** The limit the run went over, if it did. */
  limitHit?: LimitKind;
  /** Time spent inside the tool. */
  toolMs: number;
  /** `rustc -Vv` for a build (recorded in build.json), asked while cargo runs rather than after it. */
  toolchain: Promise<string>;
  /** `cargo -V` for a build, asked the same way. */
  cargoVersion: Promise<string>;
}

/** Run cargo (or the verify command) in the build sandbox, after clearing the output folder; returns once every process of it has ended. */
export async function runTool(req: CargoRequest, prepared: PreparedSources, argv: string[]): Promise<ToolRun> {
  const { options } = req;
  req.log(`${req.ctx.component}@${req.short}: ${argv.join(' ')}`);
  await rm(req.outDir, { recursive: true, force: true });
  const started = Date.now();
  const child = runInSandbox(taskSandbox(prepared.layout, prepared.sysroot, req.sandboxEnv, argv, req.limits.tmpMiB), {
    // A build's JSON messages are not read (outputs are named by the manifest's targets): dropped, not shown.
    stdout: options.command === 'build' ? 'pipe' : 'inherit',
    stderr: 'inherit',
    limits: req.limits,
  });
  // Our own question to the toolchain the sandbox mounts, not component code: it runs outside.
  const workDir = req.ctx.sources.workDir;
  const toolchain = options.command === 'build' ? toolVersion(workDir, prepared.sysroot, 'rustc', '-Vv') : Promise.resolve('');
  const cargoVersion = options.command === 'build' ? toolVersion(workDir, prepared.sysroot, 'cargo', '-V') : Promise.resolve('');
  const r = await child;
  return { timedOut: r.timedOut, exitCode: r.exitCode, signal: r.signal, limitHit: r.limitHit, toolMs: Date.now() - started, toolchain, cargoVersion };
}

/** Why the run failed, or undefined when it passed. Going over a limit fails a task whatever its exit code. Pure. */
export function runFailure(
  req: Pick<CargoRequest, 'options' | 'short' | 'limits'> & { ctx: { component: string } },
  run: Pick<ToolRun, 'timedOut' | 'exitCode' | 'signal' | 'limitHit'>,
): string | undefined {
  const { options, short } = req;
  const component = req.ctx.component;
  const what = options.command === 'verify' ? `verify (${options.verifyCommand!.join(' ')})` : `cargo ${options.command}`;
  const limit = run.limitHit ?? (run.timedOut ? 'time' : undefined);
  if (limit === 'time') return `${options.command} for ${component}@${short} timed out after ${req.limits.wallSeconds}s, its time limit`;
  if (limit) return `${what} for ${component}@${short} was stopped: it went over ${describeLimit(limit, req.limits)}`;
  if (run.exitCode === 0) return undefined;
  const how = run.signal ? `killed by ${run.signal}` : `exit ${run.exitCode}`;
  return `${what} failed for ${component}@${short} (${how}); its output is above`;
}
