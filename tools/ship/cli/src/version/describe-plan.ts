import type { UpdatedManifest, VersionPlan } from '@bllvm/crates';

/** What each component's Cargo.toml would become: the lines the editor changes and what it leaves alone. */
export type ManifestPreview = Record<string, Pick<UpdatedManifest, 'changed' | 'leftAlone'> & { file: string }>;

/**
 * The plan as people read it: the table (component, crate, from, to, why), then per repository
 * the Cargo.toml values its release commit is to change, and what stays inherited. Pure.
 */
export function describePlan(plan: VersionPlan, manifests: ManifestPreview, registry: string): string[] {
  const head = ['component', 'crate', 'from', 'to', 'why'];
  const cells = plan.components.map((r) => [r.component, r.crate, r.from, r.to, r.why]);
  const widths = head.slice(0, -1).map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const row = (c: string[]) => c.map((x, i) => (i < widths.length ? x.padEnd(widths[i]!) : x)).join('  ');
  const lines = [`versions after every version ${registry} has had (yanked ones too):`, row(head), ...cells.map(row)];
  const kept = plan.requirements.filter((r) => r.action === 'keep').length;
  lines.push('', 'Cargo.toml changes for the release commits (not made by this command):');
  let any = false;
  for (const r of plan.components) {
    const m = manifests[r.component];
    if (!m || (!m.changed.length && !m.leftAlone.length)) continue;
    any = true;
    lines.push(`  ${r.component} (${m.file}):`, ...m.changed.map((c) => `    ${c}`), ...m.leftAlone.map((c) => `    left alone: ${c}`));
  }
  if (!any) lines.push('  none');
  if (kept) lines.push(`${kept} internal requirement${kept === 1 ? '' : 's'} already admit${kept === 1 ? 's' : ''} the new version${kept === 1 ? '' : 's'} and stay${kept === 1 ? 's' : ''} as written`);
  return lines;
}
