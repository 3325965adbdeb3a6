/** One component's release commit and tag as this run found, made or would make them. */
export interface TagRow {
  component: string;
  crate: string;
  from: string;
  version: string;
  tag: string;
  /** The pin the release commit builds on. */
  base: string;
  /** The release commit: ours, or the one an existing tag with the same tree names. */
  commit: string;
  files: { path: string; changed: string[] }[];
  leftAlone: string[];
  /** new: made by this run (or to be, in a dry run); existing: the tag was already there. */
  tagState: 'new' | 'existing' | 'refused';
  /** With --push-branch: pushed (fast-forward), already on the branch, or refused. */
  branchState?: 'new' | 'existing' | 'refused';
}

/**
 * The run as people read it: the table (component, crate, version, the commit it builds on, the
 * files changed, the tag), then each release commit's changes, what stays, and why a component is
 * refused. Pure.
 */
export function describeTags(rows: readonly TagRow[], refusals: readonly string[], unchanged: readonly { component: string; version: string }[], o: { pushed: boolean; branch: boolean }): string[] {
  const state = (s: TagRow['tagState'] | undefined) => (s === 'existing' ? 'already there' : s === 'refused' ? 'REFUSED' : o.pushed ? 'pushed' : 'to push');
  const head = ['component', 'crate', 'version', 'builds on', 'files', 'tag', ...(o.branch ? ['branch'] : [])];
  const cells = rows.map((r) => [
    r.component,
    r.crate,
    r.version,
    r.base.slice(0, 7),
    r.files.map((f) => f.path).join(', '),
    `${r.tag} ${r.commit.slice(0, 7)} ${state(r.tagState)}`,
    ...(o.branch ? [state(r.branchState)] : []),
  ]);
  const widths = head.slice(0, -1).map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const row = (c: string[]) => c.map((x, i) => (i < widths.length ? x.padEnd(widths[i]!) : x)).join('  ');
  const lines: string[] = [];
  if (rows.length) lines.push(row(head), ...cells.map(row));
  else lines.push('nothing to tag: every component\'s Cargo.toml at its pin says its version already');
  for (const r of rows) {
    lines.push('', `${r.component}: "Release ${r.crate} ${r.version}" on ${r.base}`);
    for (const f of r.files) lines.push(...f.changed.map((c) => `  ${f.path}: ${c}`));
    lines.push(...r.leftAlone.map((c) => `  left alone: ${c}`));
  }
  if (unchanged.length) lines.push('', `already at their versions (no release commit): ${unchanged.map((u) => `${u.component} ${u.version}`).join(', ')}`);
  if (refusals.length) lines.push('', 'refused (nothing was pushed):', ...refusals.map((r) => `  ${r}`));
  return lines;
}
