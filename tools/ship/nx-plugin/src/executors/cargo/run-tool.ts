import { rm } from 'node:fs/promises';
import { execa } from 'execa';
import type { CargoRequest } from './request';

export interface ToolRun {
  timedOut: boolean;
  exitCode?: number;
  signal?: string;
  /** cargo build's JSON messages; empty for other commands (their output goes to the terminal). */
  stdout: string;
  /** Time spent inside the tool. */
  toolMs: number;
  /** `rustc -Vv` for a build (recorded in build.json), asked while cargo runs rather than after it. */
  toolchain: Promise<string>;
}

/** Run cargo (or the verify command) in the checkout, after clearing the output folder. */
export async function runTool(req: CargoRequest, dir: string, argv: string[]): Promise<ToolRun> {
  const { options } = req;
  req.log(`${req.ctx.component}@${req.short}: ${argv.join(' ')}`);
  await rm(req.outDir, { recursive: true, force: true });
  const started = Date.now();
  const child = execa(argv[0]!, argv.slice(1), {
    cwd: dir,
    env: req.childEnv,
    reject: false,
    stdin: 'ignore',
    stdout: options.command === 'build' ? 'pipe' : 'inherit',
    stderr: 'inherit',
    timeout: options.timeoutSeconds ? options.timeoutSeconds * 1000 : undefined,
    killSignal: 'SIGTERM',
  });
  const toolchain = options.command === 'build' ? rustcVersion(dir, req.childEnv) : Promise.resolve('');
  const r = await child;
  return { timedOut: r.timedOut, exitCode: r.exitCode, signal: r.signal, stdout: String(r.stdout ?? ''), toolMs: Date.now() - started, toolchain };
}

/** Why the run failed, or undefined when it passed. Pure. */
export function runFailure(req: Pick<CargoRequest, 'options' | 'short'> & { ctx: { component: string } }, run: Pick<ToolRun, 'timedOut' | 'exitCode' | 'signal'>): string | undefined {
  const { options, short } = req;
  const component = req.ctx.component;
  if (run.timedOut) return `${options.command} for ${component}@${short} timed out after ${options.timeoutSeconds}s`;
  if (run.exitCode === 0) return undefined;
  const how = run.signal ? `killed by ${run.signal}` : `exit ${run.exitCode}`;
  const what = options.command === 'verify' ? `verify (${options.verifyCommand!.join(' ')})` : `cargo ${options.command}`;
  return `${what} failed for ${component}@${short} (${how}); its output is above`;
}

async function rustcVersion(dir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await execa('rustc', ['-Vv'], { cwd: dir, env, reject: false });
  return String(r.stdout).trim();
}
