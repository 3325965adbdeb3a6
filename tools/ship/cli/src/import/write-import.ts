import { type NewComponent, type Stack, addComponents, writePin } from '@bllvm/manifest';
import type { ImportAction } from './plan-import';

/** One line per repository for the summary. Pure. */
export function describeAction(a: ImportAction): string {
  const at = `${a.pin.repository}@${a.pin.commit.slice(0, 7)}`;
  const crate = `crate ${a.pin.crate ?? '?'}${a.pin.crateDir ? ` in ${a.pin.crateDir}/` : ''}`;
  switch (a.kind) {
    case 'add':
      return `add       ${a.id.padEnd(18)} ${at}  ${crate}  ${a.crateKind}${a.version ? `  version ${a.version}` : ''}`;
    case 'move': {
      const renamed = a.from.repository !== a.pin.repository ? ` (was ${a.from.repository})` : '';
      return `move      ${a.id.padEnd(18)} ${a.from.commit.slice(0, 7)} -> ${at}${renamed}  ${crate}${a.pin.formerNames?.length ? `  former names: ${a.pin.formerNames.join(', ')}` : ''}`;
    }
    case 'unchanged':
      return `unchanged ${a.id.padEnd(18)} ${at}  ${crate}`;
  }
}

/**
 * Write what the plan says: a new component added the way the component generator adds one
 * (addComponents: its folder, its place in the release set, its versions.toml entry at its crate's
 * version), or a moved pin. Each pin is written atomically; nothing is committed, and the graph is
 * left to `nx sync`. Returns the ids that got a versions.toml entry (their requires come after it).
 */
export async function writeImport(workspaceRoot: string, stack: Stack, actions: readonly ImportAction[]): Promise<string[]> {
  const added: NewComponent[] = [];
  for (const a of actions) {
    if (a.kind === 'move') await writePin(stack.components.find((x) => x.id === a.id)!.pinFile, a.pin);
    else if (a.kind === 'add') added.push({ id: a.id, pin: a.pin, kind: a.crateKind, ...(a.version ? { version: a.version } : {}) });
  }
  return added.length ? addComponents(workspaceRoot, stack.graph.components, added) : [];
}
