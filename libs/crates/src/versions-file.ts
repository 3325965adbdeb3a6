import { ManifestError, type VersionsOptions, parseVersions, resolveComponent } from '@bllvm/manifest';
import { parse } from 'smol-toml';
import { type StringEdit, editStrings, valueAt } from './edit-toml';
import type { PlannedVersion } from './plan-versions';

export interface PlannedVersionsFile {
  text: string;
  /** One line per entry changed. */
  changed: string[];
}

/**
 * versions.toml with the planned versions: each entry's `version`, its `git_tag` (the old version
 * in it replaced, else `v<version>`), `git_commit` emptied (the commit of the new version's tag is
 * not known until it is tagged) and every `requires` item on a planned component, each value in
 * its own span so the rest of the file (comments, layout, [metadata]) stays as it is. The result
 * is read back with parseVersions and must say what the plan says. Names in the file may be any
 * name of a component when `options.components` is given, as parseVersions reads them. Pure.
 */
export function planVersionsFile(text: string, file: string, planned: readonly Pick<PlannedVersion, 'component' | 'to'>[], options: VersionsOptions = {}): PlannedVersionsFile {
  const current = parseVersions(text, file, options);
  const doc = parse(text);
  const next = new Map(planned.map((p) => [p.component, p.to]));
  const id = (name: string) => (options.components ? resolveComponent(options.components, name).component.id : name);
  const edits: StringEdit[] = [];
  const changed: string[] = [];
  for (const [component, to] of next) if (!current.entries[component]) throw new ManifestError(file, `has no entry for ${component}`);
  // Every entry's requires follow the planned versions, planned or not, so the file stays consistent.
  for (const [component, entry] of Object.entries(current.entries)) {
    const written = current.locations[component]!.written;
    const at = (...rest: (string | number)[]) => ['versions', written, ...rest];
    const notes: string[] = [];
    const to = next.get(component);
    if (to !== undefined && entry.version !== to) {
      edits.push({ path: at('version'), from: entry.version, to });
      notes.push(`version ${entry.version} → ${to}`);
      const tag = entry.gitTag.endsWith(entry.version) ? entry.gitTag.slice(0, -entry.version.length) + to : `v${to}`;
      if (tag !== entry.gitTag) edits.push({ path: at('git_tag'), from: entry.gitTag, to: tag });
      const commit = valueAt(doc, at('git_commit'));
      if (typeof commit === 'string' && commit !== '') {
        edits.push({ path: at('git_commit'), from: commit, to: '' });
        notes.push('git_commit emptied (set when the new tag exists)');
      }
    }
    const requires = valueAt(doc, at('requires'));
    (Array.isArray(requires) ? requires : []).forEach((item: unknown, i) => {
      const m = typeof item === 'string' ? /^([^=\s]+)=([^=\s]+)$/.exec(item) : null;
      const upstream = m ? next.get(id(m[1]!)) : undefined;
      if (!m || upstream === undefined || m[2] === upstream) return;
      edits.push({ path: at('requires', i), from: item as string, to: `${m[1]}=${upstream}` });
      notes.push(`requires ${m[1]}=${upstream}`);
    });
    if (notes.length) changed.push(`${written}: ${notes.join(', ')}`);
  }
  const out = edits.length ? editStrings(text, file, edits) : text;
  // Never leave a file that cannot be read, nor one that says other than the plan.
  const check = parseVersions(out, file, options);
  for (const [component, to] of next)
    if (check.entries[component]?.version !== to) throw new Error(`${file}: after writing, ${component} is at ${check.entries[component]?.version}, not ${to}`);
  return { text: out, changed };
}
