import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type ComponentGraph, RESOLVED_LOCK, componentShape, componentTargets, parseBuildRecord } from '@bllvm/manifest';
import { BUILD_RECORD_IN_ARCHIVE, type ReleaseManifest, readTar } from '@bllvm/release';

/** Where, in the fresh workspace, the release's locks are put for the builds to name (workspace-relative). */
export const RECORDED_LOCKS_DIR = 'rebuild-locks';

/**
 * The locks a release recorded for components whose repositories commit none: each taken from the
 * component's archive, beside the build record that names its digest (and checked against it).
 * A component whose repository commits its lock needs none (the pinned commit holds it). Pure.
 */
export function recordedLocks(manifest: ReleaseManifest, assets: ReadonlyMap<string, Buffer>): { locks: Map<string, Buffer>; problems: string[] } {
  const locks = new Map<string, Buffer>();
  const problems: string[] = [];
  for (const c of manifest.components) {
    const bytes = assets.get(c.archive.name);
    if (!bytes) {
      problems.push(`${c.component}: the release has no ${c.archive.name}`);
      continue;
    }
    let members: ReturnType<typeof readTar>;
    try {
      members = readTar(gunzipSync(bytes));
    } catch (e) {
      problems.push(`${c.component}: ${c.archive.name} is not a readable archive (${(e as Error).message})`);
      continue;
    }
    const member = (name: string) => members.find((m) => m.path.endsWith(`/${name}`) && m.path.split('/').length === 2);
    const recordMember = member(BUILD_RECORD_IN_ARCHIVE);
    if (!recordMember) {
      problems.push(`${c.component}: ${c.archive.name} holds no ${BUILD_RECORD_IN_ARCHIVE}`);
      continue;
    }
    let lock: ReturnType<typeof parseBuildRecord>['lock'];
    try {
      lock = parseBuildRecord(JSON.parse(recordMember.data.toString('utf8')), `${c.archive.name}:${BUILD_RECORD_IN_ARCHIVE}`).lock;
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    if (lock?.origin !== 'generated') continue;
    const file = member(RESOLVED_LOCK);
    const digest = file && createHash('sha256').update(file.data).digest('hex');
    if (!file || digest !== lock.sha256) problems.push(`${c.component}: ${c.archive.name} ${file ? `holds a ${RESOLVED_LOCK} that is not the one its build record names` : `holds no ${RESOLVED_LOCK}, though its build record names one`}`);
    else locks.set(c.component, file.data);
  }
  return { locks, problems };
}

/**
 * Put the recorded locks in the fresh workspace and name each in its component's cargo targets
 * (the `lockFile` option, merged over the inferred targets by Nx), so every build and test of the
 * rebuild compiles the registry versions the release compiled, whatever the registry holds now.
 */
export async function useRecordedLocks(ws: string, graph: ComponentGraph, locks: ReadonlyMap<string, Buffer>): Promise<void> {
  if (locks.size === 0) return;
  await mkdir(join(ws, RECORDED_LOCKS_DIR), { recursive: true });
  for (const [component, bytes] of locks) {
    const lockFile = `${RECORDED_LOCKS_DIR}/${component}.Cargo.lock`;
    await writeFile(join(ws, lockFile), bytes);
    const file = join(ws, graph.roots[component]!, 'project.json');
    const project = JSON.parse(await readFile(file, 'utf8')) as { tags?: string[]; targets?: Record<string, { options?: Record<string, unknown> }> };
    const shape = componentShape(project);
    if (!shape) throw new Error(`${file} is not a component's project.json`);
    const targets = { ...project.targets };
    for (const [name, t] of Object.entries(componentTargets(shape)))
      if (t.executor.endsWith(':cargo')) targets[name] = { ...targets[name], options: { ...targets[name]?.options, lockFile } };
    await writeFile(file, `${JSON.stringify({ ...project, targets }, null, 2)}\n`);
  }
}
