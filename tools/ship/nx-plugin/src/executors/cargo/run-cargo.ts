import type { ComponentContext } from '../../lib/component';
import { writeOutputDir } from '../../lib/atomic-output';
import { clearDeclaredOutputs, collectArtifacts } from './artifacts';
import { type DeclaredOutput, declaredOutputs } from './declared-outputs';
import { checkBuildOptions } from './build-options';
import { STATIC_TARGET, taskArgv } from './cargo-args';
import { crateVersion } from './crate-manifest';
import { buildRecordOf, buildSettingsOf, commandRecordOf, writeRecord } from './records';
import { normalizeCargoRequest } from './request';
import { runFailure, runTool } from './run-tool';
import { lockRecordOf } from './lock-record';
import { keepSbomSource } from './sbom-source';
import { seedTargetDir } from './seed-target';
import { taskSourceDate } from './source-date';
import { prepareSources } from './sources';
import type { CargoExecutorOptions } from './schema';

export interface CargoTaskResult {
  success: boolean;
  message: string;
  /** Time spent inside cargo (or the verify command). */
  toolMs: number;
}

export interface CargoTaskIO {
  /** dist/<component>/<command>: replaced wholesale (by one rename) so a stale or partial artifact can never be published. */
  outDir: string;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export async function runCargoTask(ctx: ComponentContext, options: CargoExecutorOptions, io: CargoTaskIO): Promise<CargoTaskResult> {
  const req = normalizeCargoRequest(ctx, options, io);
  const prepared = await prepareSources(req);
  // From the pins, not the clock: the same commits give the same date, whoever builds them. Asked
  // of git now, while the options are checked and the target dir is seeded.
  const built = [ctx.component, ...ctx.upstream.map((u) => u.id)].map((id) => prepared.layout.checkouts[id]!);
  const sourceDate = taskSourceDate(built, ctx.sources.workDir);
  sourceDate.catch(() => undefined); // awaited below; a task that fails before then must not leave it unhandled
  let outputs: DeclaredOutput[] = [];
  let crate = ctx.self.crate.name;
  if (options.command !== 'verify') {
    const checked = await checkBuildOptions(ctx, prepared.layout, { features: options.features });
    req.log(`${ctx.component}@${req.short}: build options checked against the pinned crate (${checked.cached ? 'cached metadata' : `cargo metadata ${checked.ms} ms`})`);
    if (checked.problems.length) return fail(`the build options of ${ctx.component} do not fit its pinned crate (set them in ${ctx.self.projectRoot}/project.json):\n${checked.problems.join('\n')}`, checked.ms);
    // What a build ships is named by the manifest's targets, read before any code of the component ran.
    crate ??= checked.pkg?.name;
    if (checked.pkg) outputs = declaredOutputs(checked.pkg, { profile: options.profile ?? 'release', rustTarget: options.rustTarget ?? (options.static ? STATIC_TARGET : undefined) });
  }
  const argv = taskArgv(options, prepared.config, prepared.locked);
  if (!argv) return fail(`no verifyCommand configured for ${ctx.component}`, 0);
  if (options.command === 'build') {
    await seedTargetDir(ctx, req.purpose, io.log);
    await clearDeclaredOutputs(req.targetDir, outputs);
  }
  req.sandboxEnv.SOURCE_DATE_EPOCH = String(await sourceDate);
  const run = await runTool(req, prepared, argv);
  const failure = runFailure(req, run);
  if (failure) return fail(failure, run.toolMs);
  // Written into a temporary sibling and renamed into place: Nx caches outDir as it finds it.
  return writeOutputDir(io.outDir, async (out) => {
    if (options.command !== 'build') {
      await writeRecord(out, `${options.command}.json`, commandRecordOf(ctx, argv, run.toolMs, new Date()));
      return { success: true, message: `${ctx.component}@${req.short}: ${options.command} passed`, toolMs: run.toolMs };
    }
    const built = { checkout: prepared.layout.checkouts[ctx.component]!, crateDir: ctx.self.crate.dir, commit: ctx.pin.commit };
    // Independent reads (artifacts' digests, the lock's record, the crate's version), side by side.
    const [artifacts, lock, version] = await Promise.all([collectArtifacts(out, req.targetDir, outputs), lockRecordOf(built), crateVersion(prepared.dir)]);
    if (artifacts.length === 0) return fail(`cargo build for ${ctx.component} produced no binary or library of its own`, run.toolMs);
    const settings = buildSettingsOf(req.sandboxEnv, argv, await run.cargoVersion);
    const record = buildRecordOf(ctx, options, { version, toolchain: await run.toolchain, artifacts, settings, lock });
    await writeRecord(out, 'build.json', record);
    if (crate) await keepSbomSource(out, { ...built, crate });
    return { success: true, message: `${ctx.component}@${req.short}: built ${artifacts.map((a) => a.name).join(', ')}`, toolMs: run.toolMs };
  });
}

function fail(message: string, toolMs: number): CargoTaskResult {
  return { success: false, message, toolMs };
}
