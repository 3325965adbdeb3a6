import { rm, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { API_LIMITS, ApiReadError, type PublicApi, readRustdocApiFile } from '@bllvm/crates';
import { type SandboxLimits, type SandboxResult, runInSandbox } from '@bllvm/hermetic';
import type { MetadataPackage } from '@bllvm/manifest';
import type { ComponentContext } from '../../lib/component';
import { writeOutputDir } from '../../lib/atomic-output';
import { openPlainFileInside } from './artifacts';
import { checkBuildOptions } from './build-options';
import { rustdocJsonArgs } from './cargo-args';
import { normalizeCargoRequest } from './request';
import { runFailure } from './run-tool';
import { type TaskLayout, taskSandbox } from './sandbox';
import type { CargoExecutorOptions } from './schema';
import { prepareSources } from './sources';
import type { CargoTaskIO, CargoTaskResult } from './run-cargo';

/**
 * The `api` command: the public API of the component's library as rustdoc JSON, made in the build
 * sandbox like a build (offline, --locked, checkouts read-only) and written to
 * dist/<c>/api/<crate>.json. The file comes out of a run of the component's code, so it is copied
 * as a plain file, bounded in size, and accepted only once @bllvm/crates' reader reads it: what the
 * compatibility gate later compares (readRustdocApiFile, compareApi).
 */
export async function runApiTask(ctx: ComponentContext, options: CargoExecutorOptions, io: CargoTaskIO): Promise<CargoTaskResult> {
  const req = normalizeCargoRequest(ctx, options, io);
  const at = `${ctx.component}@${req.short}`;
  const prepared = await prepareSources(req);
  const checked = await checkBuildOptions(ctx, prepared.layout, { features: options.features });
  if (checked.problems.length) return fail(`the api options of ${ctx.component} do not fit its pinned crate (set them in ${ctx.self.projectRoot}/project.json):\n${checked.problems.join('\n')}`, checked.ms);
  const lib = checked.pkg && libraryName(checked.pkg);
  if (!lib) return fail(`${at}: ${checked.pkg?.name ?? ctx.component} has no library target, so no public API to document`, checked.ms);
  const crate = ctx.self.crate.name ?? checked.pkg!.name;
  const argv = ['cargo', ...prepared.config, ...rustdocJsonArgs(options, prepared.locked)];
  req.log(`${at}: ${argv.join(' ')}`);
  await rm(io.outDir, { recursive: true, force: true });
  const started = Date.now();
  const run = await runRustdocJson({ layout: prepared.layout, sysroot: prepared.sysroot, env: req.sandboxEnv, argv, limits: req.limits, lib, rustTarget: options.rustTarget });
  const toolMs = Date.now() - started;
  const failure = runFailure(req, run);
  if (failure) return fail(failure.replace(/^cargo api\b|^api\b/, 'cargo rustdoc'), toolMs);
  return writeOutputDir(io.outDir, async (out) => {
    const taken = await takeApiJson(prepared.layout.targetDir, run.json, join(out, `${crate}.json`));
    if ('problem' in taken) return fail(`cargo rustdoc for ${at}: ${taken.problem}`, toolMs);
    const what = taken.api.version ? `${crate} ${taken.api.version}` : crate;
    return { success: true, message: `${at}: public API of ${what} documented, ${taken.api.items.length} entries (rustdoc JSON format ${taken.api.formatVersion})`, toolMs };
  });
}

/**
 * Run `argv` (cargo with rustdocJsonArgs) in the task's build sandbox, after removing what an
 * earlier pin documented so it is never read as this one's. RUSTC_BOOTSTRAP unlocks the unstable
 * output for the library alone: a dependency's build script probing for a nightly compiler still
 * finds the stable one, as in the build. Returns once every process of the sandbox has ended,
 * with where in the target dir the JSON is to be.
 */
export async function runRustdocJson(task: {
  layout: TaskLayout;
  sysroot: string;
  env: Record<string, string>;
  argv: string[];
  limits: SandboxLimits;
  lib: string;
  rustTarget?: string;
  stdio?: 'inherit' | 'pipe';
}): Promise<SandboxResult & { json: string }> {
  const doc = task.rustTarget ? posix.join(task.rustTarget, 'doc') : 'doc';
  await rm(join(task.layout.targetDir, doc), { recursive: true, force: true });
  const env = { ...task.env, RUSTC_BOOTSTRAP: task.lib };
  const spec = taskSandbox(task.layout, task.sysroot, env, task.argv, task.limits.tmpMiB);
  const r = await runInSandbox(spec, { stdout: task.stdio ?? 'inherit', stderr: task.stdio ?? 'inherit', limits: task.limits });
  return { ...r, json: `${doc}/${task.lib}.json` };
}

/** Copy the JSON rustdoc made (`rel` in the target dir) to `file` as a plain, bounded file, and read it as the public API. */
export async function takeApiJson(targetDir: string, rel: string, file: string): Promise<{ api: PublicApi } | { problem: string }> {
  const handle = await openPlainFileInside(targetDir, rel);
  if (!handle) return { problem: `it made no ${rel}` };
  try {
    const { size } = await handle.stat();
    if (size > API_LIMITS.fileBytes) return { problem: `${rel} is ${size} bytes, over the ${API_LIMITS.fileBytes} the API reader takes` };
    await writeFile(file, handle.createReadStream({ autoClose: false }));
  } finally {
    await handle.close();
  }
  try {
    return { api: await readRustdocApiFile(file) };
  } catch (e) {
    if (e instanceof ApiReadError) return { problem: `the API reader refuses ${rel}: ${e.message.slice(file.length + 2)}` };
    throw e;
  }
}

/** The library target's crate name (what rustdoc names its JSON and RUSTC_BOOTSTRAP takes), or undefined for a crate without one. Pure. */
export function libraryName(pkg: Pick<MetadataPackage, 'targets'>): string | undefined {
  const lib = pkg.targets.find((t) => t.kind.some((k) => ['lib', 'rlib', 'dylib', 'staticlib', 'cdylib', 'proc-macro'].includes(k)));
  return lib?.name.replace(/-/g, '_');
}

function fail(message: string, toolMs: number): CargoTaskResult {
  return { success: false, message, toolMs };
}
