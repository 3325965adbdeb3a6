/**
 * Sections of docs/benchmarks.md that one part of the bench measures and writes on its own
 * (`--only scale`, `--only sccache`): each sits between its heading and its end marker, so a
 * part rewrites its own section and the others keep theirs. Pure.
 */
export interface DocSection {
  heading: string;
  end: string;
}

/** The section as it stands in a document (heading to end marker), if it is there. */
export function extractSection(doc: string | undefined, s: DocSection): string | undefined {
  if (!doc) return undefined;
  const start = doc.indexOf(s.heading);
  const end = doc.indexOf(s.end, start);
  if (start < 0 || end < 0) return undefined;
  return doc.slice(start, end + s.end.length);
}

/** The document with the section replaced in place, or appended when it is not there yet. */
export function spliceSection(doc: string, s: DocSection, section: string): string {
  const existing = extractSection(doc, s);
  if (existing !== undefined) return doc.replace(existing, () => section);
  return `${doc.trimEnd()}\n\n${section}\n`;
}
