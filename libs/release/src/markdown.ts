// Commit subjects and author names come from other repositories and are untrusted. They end up in
// a GitHub release body, so anything that Markdown or HTML would interpret is made literal here:
// raw HTML, links and images, table pipes, emphasis, and look-alike control characters.

export interface EscapeOptions {
  /** Longest output text in characters (code points), before escaping. */
  maxLength?: number;
  /** owner/name: `#123` then links to that repository's issue instead of the orchestrator's. */
  repository?: string;
}

export const DEFAULT_MAX_LENGTH = 200;

// C0/C1 controls and line/paragraph separators would break a list item or table row.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// Bidi overrides and zero-width characters can make text read differently than it is.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// ASCII punctuation that starts Markdown syntax mid-line; ':' defuses scheme autolinks.
const SPECIAL = /[\\`*_{}[\]()#!|~:]/g;
const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
// @mentions would notify people on every nightly; #123 would link to the wrong repository.
const REFERENCE = /@[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}|#[0-9]{1,9}(?![0-9A-Za-z_])/g;

/** One line of inert Markdown text. */
export function escapeMarkdownText(raw: string, options: EscapeOptions = {}): string {
  const text = cap(normalize(String(raw)), options.maxLength ?? DEFAULT_MAX_LENGTH);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(REFERENCE)) {
    const at = m.index;
    // Only free-standing references: "a@b.com" is an address, "x#1" is not an issue.
    if (at > 0 && /[A-Za-z0-9_]/.test(text[at - 1]!)) continue;
    out += escapePlain(text.slice(last, at));
    out += renderReference(m[0], options.repository);
    last = at + m[0].length;
  }
  return out + escapePlain(text.slice(last));
}

function renderReference(ref: string, repository: string | undefined): string {
  // A code span is not scanned for mentions, and the name holds only [A-Za-z0-9-].
  if (ref.startsWith('@')) return `\`${ref}\``;
  if (!repository || !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(repository)) return escapePlain(ref);
  const n = ref.slice(1);
  return `[${repository}#${n}](https://github.com/${repository}/issues/${n})`;
}

function escapePlain(s: string): string {
  return s.replace(/[&<>]/g, (c) => HTML[c]!).replace(SPECIAL, '\\$&');
}

function normalize(s: string): string {
  return s.replace(INVISIBLE, '').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

function cap(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** A short sha as an inline code link to the commit; both parts are validated hex, so no escaping. */
export function commitLink(repository: string, sha: string): string {
  return `[\`${sha.slice(0, 7)}\`](https://github.com/${repository}/commit/${sha})`;
}

export function compareUrl(repository: string, from: string, to: string): string {
  return `https://github.com/${repository}/compare/${from}...${to}`;
}
