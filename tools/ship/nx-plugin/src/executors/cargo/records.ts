import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactRecord, BuildRecord, BuildSettings, CommandRecord, Component, LockRecord } from '@bllvm/manifest';
import { SANDBOX_PATHS } from '@bllvm/hermetic';
import type { ComponentContext } from '../../lib/component';
import { STATIC_TARGET } from './cargo-args';
import type { CargoExecutorOptions } from './schema';

/** build.json: what was built, from which commits, with which toolchain and settings. Pure. */
export function buildRecordOf(
  ctx: Pick<ComponentContext, 'component' | 'pin'> & { upstream: readonly Pick<Component, 'id' | 'pin'>[] },
  options: CargoExecutorOptions,
  built: { version: string; toolchain: string; artifacts: ArtifactRecord[]; settings?: BuildSettings; lock?: LockRecord },
): BuildRecord {
  return {
    component: ctx.component,
    repository: ctx.pin.repository,
    branch: ctx.pin.branch,
    commit: ctx.pin.commit,
    version: built.version,
    toolchain: built.toolchain,
    features: options.allFeatures ? ['(all)'] : (options.features ?? []),
    profile: options.profile ?? 'release',
    target: options.rustTarget ?? (options.static ? STATIC_TARGET : undefined),
    upstream: Object.fromEntries(ctx.upstream.map((u) => [u.id, u.pin.commit])),
    artifacts: built.artifacts,
    ...(built.settings ? { settings: built.settings } : {}),
    ...(built.lock ? { lock: built.lock } : {}),
  };
}

/** What a rebuilder must set besides the commits and toolchain, from the sandbox environment the build got. Pure. */
export function buildSettingsOf(sandboxEnv: Record<string, string>, argv: string[], cargoVersion: string): BuildSettings {
  const epoch = Number(sandboxEnv.SOURCE_DATE_EPOCH);
  if (!Number.isSafeInteger(epoch)) throw new Error(`SOURCE_DATE_EPOCH is not set for this build: ${JSON.stringify(sandboxEnv.SOURCE_DATE_EPOCH)}`);
  return {
    sourceDateEpoch: epoch,
    cargo: cargoVersion,
    rustflags: (sandboxEnv.CARGO_ENCODED_RUSTFLAGS ?? '').split('\x1f').filter(Boolean),
    command: argv,
    sandbox: { ...SANDBOX_PATHS },
  };
}

/** <command>.json for a test or verify run that passed. Pure. */
export function commandRecordOf(ctx: Pick<ComponentContext, 'component' | 'pin'>, argv: string[], durationMs: number, finishedAt: Date): CommandRecord {
  return { component: ctx.component, commit: ctx.pin.commit, command: argv, success: true, durationMs, finishedAt: finishedAt.toISOString() };
}

export async function writeRecord(outDir: string, file: string, record: BuildRecord | CommandRecord): Promise<void> {
  await writeFile(join(outDir, file), JSON.stringify(record, null, 2) + '\n');
}
