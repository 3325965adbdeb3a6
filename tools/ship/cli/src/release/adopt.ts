import type { Component } from '@bllvm/manifest';
import type { AdoptPin } from '@bllvm/orchestrator';
import { planImport } from '../import/plan-import';

/**
 * The pin a component gets when a pin move follows its crate across a rename: exactly what
 * `import <repository>=<component>` would write for that repository at that commit (planImport),
 * so the nightly and import record the same repository, crate, folder and former names.
 */
export function adoptAsImport(components: readonly Component[]): AdoptPin {
  return (id, from, to) => {
    const current = components.find((c) => c.id === id);
    if (!current) throw new Error(`adopting ${id}: no such component`);
    const action = planImport(
      [{ ...current, pin: from, repository: from.repository, formerNames: from.formerNames ?? [] }],
      { repository: to.repository, id },
      // The kind is only read for a component import adds; this one exists.
      { repository: to.repository, branch: to.branch, head: to.commit, crate: { dir: to.crateDir, name: to.crate, kind: 'library', others: [] } },
    );
    return action.pin;
  };
}
