/**
 * The two lists that say which file has which sha256: SHA256SUMS and the provenance's subjects.
 * Each name must appear once. A name listed twice is refused even with equal digests: a reader
 * keeps one entry or the other (a map keeps the last, `sha256sum -c` checks both), so a second
 * entry is at best noise and at worst a digest one tool checks and another ignores. Pure.
 */
export interface DigestList {
  /** name → sha256, each name's first entry. */
  listed: Map<string, string>;
  /** One line per odd line or repeated name; empty when the list holds. */
  problems: string[];
}

const HEX64 = /^[0-9a-f]{64}$/;
// Names end up on the operator's terminal: printable ASCII only, so none carries an escape sequence.
const PRINTABLE = /^[\x20-\x7e]{1,200}$/;

const times = (n: number) => (n === 2 ? 'twice' : `${n} times`);

function collect(entries: Iterable<{ name: string; sha256: string }>, where: string, problems: string[], prefix = ''): DigestList {
  const listed = new Map<string, string>();
  const count = new Map<string, number>();
  for (const { name, sha256 } of entries) {
    count.set(name, (count.get(name) ?? 0) + 1);
    if (!listed.has(name)) listed.set(name, sha256);
  }
  for (const [name, n] of count) if (n > 1) problems.push(`${prefix}${name}: listed ${times(n)} in ${where}`);
  return { listed, problems };
}

/** SHA256SUMS as `sha256sum` writes it: `<sha256>  <name>` (or ` *<name>`), one per line. */
export function parseSums(text: string): DigestList {
  const problems: string[] = [];
  const entries: { name: string; sha256: string }[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const [i, line] of lines.entries()) {
    const m = /^([0-9a-f]{64}) [ *]([A-Za-z0-9._+-]{1,200})$/.exec(line);
    if (m) entries.push({ sha256: m[1]!, name: m[2]! });
    else problems.push(`SHA256SUMS line ${i + 1} is not "<sha256>  <name>"`);
  }
  return collect(entries, 'SHA256SUMS', problems);
}

/** The `subject` of an in-toto statement: a list of `{ name, digest: { sha256 } }`. */
export function readSubjects(subject: unknown): DigestList {
  if (!Array.isArray(subject)) return { listed: new Map(), problems: ['the provenance has no list of subjects'] };
  const problems: string[] = [];
  const entries: { name: string; sha256: string }[] = [];
  for (const [i, s] of (subject as unknown[]).entries()) {
    const name = (s as { name?: unknown } | null)?.name;
    const sha256 = (s as { digest?: { sha256?: unknown } } | null)?.digest?.sha256;
    if (typeof name === 'string' && PRINTABLE.test(name) && typeof sha256 === 'string' && HEX64.test(sha256)) entries.push({ name, sha256 });
    else problems.push(`subject ${i + 1} of the provenance is not a name with a sha256`);
  }
  return collect(entries, 'the provenance', problems, 'subject ');
}
