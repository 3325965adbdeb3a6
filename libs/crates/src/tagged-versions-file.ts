import { ManifestError, type VersionsOptions, parseVersions } from '@bllvm/manifest';
import { parse } from 'smol-toml';
import { type StringEdit, editStrings, valueAt } from './edit-toml';
import { samePath, valueSpans } from './toml-spans';

/** A component's release tag as made in its repository, and the commit it names. */
export interface MadeTag {
  component: string;
  tag: string;
  commit: string;
}

export interface TaggedVersionsFile {
  text: string;
  /** One line per entry changed. */
  changed: string[];
}

/**
 * versions.toml with each tagged component's `git_tag` and `git_commit` set to the tag made and
 * its commit, each value in its own span (a missing git_commit is added right after git_tag), so
 * the rest of the file stays as it is. Read back with parseVersions, it must say exactly that.
 * Names in the file may be any name of a component when `options.components` is given. Pure.
 */
export function recordReleaseTags(text: string, file: string, tags: readonly MadeTag[], options: VersionsOptions = {}): TaggedVersionsFile {
  const current = parseVersions(text, file, options);
  const doc = parse(text);
  const edits: StringEdit[] = [];
  const inserts: { after: string[]; commit: string; line: number }[] = [];
  const changed: string[] = [];
  for (const t of tags) {
    const entry = current.entries[t.component];
    if (!entry) throw new ManifestError(file, `has no entry for ${t.component}`);
    const written = current.locations[t.component]!.written;
    const at = (key: string) => ['versions', written, key];
    const notes: string[] = [];
    if (entry.gitTag !== t.tag) {
      edits.push({ path: at('git_tag'), from: entry.gitTag, to: t.tag });
      notes.push(`git_tag ${entry.gitTag} → ${t.tag}`);
    }
    const commit = valueAt(doc, at('git_commit'));
    if (typeof commit === 'string') {
      if (commit !== t.commit) edits.push({ path: at('git_commit'), from: commit, to: t.commit });
    } else inserts.push({ after: at('git_tag'), commit: t.commit, line: current.locations[t.component]!.line ?? 0 });
    if (commit !== t.commit) notes.push(`git_commit ${t.commit}`);
    if (notes.length) changed.push(`${written}: ${notes.join(', ')}`);
  }
  let out = text;
  if (inserts.length) {
    const spans = valueSpans(text);
    // From the end, so earlier offsets stay true; the git_tag edits are applied after, on the new text.
    const placed = inserts.map((i) => ({ ...i, span: spans.find((s) => samePath(s.path, i.after)) }));
    for (const p of placed.sort((a, b) => (b.span?.end ?? 0) - (a.span?.end ?? 0))) {
      if (!p.span) throw new ManifestError(file, `cannot find ${p.after.join('.')} to add git_commit after`, { line: p.line });
      // An inline table takes `, git_commit = "…"`; a [versions.<name>] table a line of its own.
      const inline = ['versions', p.after[1]!].join('\0');
      const isInline = spans.some((s) => s.form === 'inline-table' && s.path.join('\0') === inline);
      const added = isInline ? `, git_commit = "${p.commit}"` : `\ngit_commit = "${p.commit}"`;
      out = out.slice(0, p.span.end) + added + out.slice(p.span.end);
    }
  }
  if (edits.length) out = editStrings(out, file, edits);
  // Never leave a file that cannot be read, nor one that says other than the tags made.
  const check = parseVersions(out, file, options);
  for (const t of tags) {
    const e = check.entries[t.component];
    if (e?.gitTag !== t.tag || e.gitCommit !== t.commit) throw new Error(`${file}: after writing, ${t.component} says ${e?.gitTag} ${e?.gitCommit}, not ${t.tag} ${t.commit}`);
  }
  return { text: out, changed };
}
