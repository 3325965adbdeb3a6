import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Stack, componentProjectJson, pinPath, writePin } from '@bllvm/manifest';
import type { ImportAction } from './plan-import';

/** The project every component feeds; it depends on all of them. */
const RELEASE_SET = 'apps/release-set/project.json';

/** One line per repository for the summary. Pure. */
export function describeAction(a: ImportAction): string {
  const at = `${a.pin.repository}@${a.pin.commit.slice(0, 7)}`;
  const crate = `crate ${a.pin.crate ?? '?'}${a.pin.crateDir ? ` in ${a.pin.crateDir}/` : ''}`;
  switch (a.kind) {
    case 'add':
      return `add       ${a.id.padEnd(18)} ${at}  ${crate}  ${a.crateKind}`;
    case 'move': {
      const renamed = a.from.repository !== a.pin.repository ? ` (was ${a.from.repository})` : '';
      return `move      ${a.id.padEnd(18)} ${a.from.commit.slice(0, 7)} -> ${at}${renamed}  ${crate}${a.pin.formerNames?.length ? `  former names: ${a.pin.formerNames.join(', ')}` : ''}`;
    }
    case 'unchanged':
      return `unchanged ${a.id.padEnd(18)} ${at}  ${crate}`;
  }
}

/**
 * Write what the plan says: a new component's folder (project.json, pin.toml) and its place in the
 * release set, or a moved pin. Each pin is written atomically; nothing is committed.
 */
export async function writeImport(workspaceRoot: string, stack: Stack, actions: readonly ImportAction[]): Promise<void> {
  const added: string[] = [];
  for (const a of actions) {
    if (a.kind === 'unchanged') continue;
    if (a.kind === 'move') {
      const c = stack.components.find((x) => x.id === a.id)!;
      await writePin(c.pinFile, a.pin);
      continue;
    }
    const root = join('apps', a.id);
    await mkdir(join(workspaceRoot, root), { recursive: true });
    await writeFile(join(workspaceRoot, root, 'project.json'), `${JSON.stringify(componentProjectJson(a.id, a.crateKind), null, 2)}\n`, { flag: 'wx' });
    await writePin(pinPath(workspaceRoot, root), a.pin);
    added.push(a.id);
  }
  if (added.length === 0) return;
  const file = join(workspaceRoot, RELEASE_SET);
  const set = JSON.parse(await readFile(file, 'utf8')) as { implicitDependencies?: string[] };
  set.implicitDependencies = [...new Set([...(set.implicitDependencies ?? []), ...added])];
  await writeFile(file, `${JSON.stringify(set, null, 2)}\n`);
}
