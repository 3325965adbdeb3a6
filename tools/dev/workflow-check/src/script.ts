/**
 * Just enough shell reading for the rules: logical lines of a run script as written in the
 * workflow, with offsets into that text so a finding can name its line.
 */

export interface ScriptLine {
  text: string;
  /** Offset of the line's first character in the text that was split. */
  offset: number;
}

/**
 * Lines with `\`-continuations joined and whole-line comments dropped. Continuations are blanked
 * to spaces of the same length rather than removed, so every offset still points into the source.
 */
export function scriptLines(text: string): ScriptLine[] {
  const joined = text.replace(/\\\r?\n/g, (m) => ' '.repeat(m.length));
  const lines: ScriptLine[] = [];
  let offset = 0;
  for (const line of joined.split('\n')) {
    if (!/^\s*#/.test(line)) lines.push({ text: line, offset });
    offset += line.length + 1;
  }
  return lines;
}

/** A shell word without its quotes (`"build"` → build); expansions are left for the caller to see. */
export function unquote(word: string): string {
  return word.replace(/^(["'])(.*)\1$/, '$2');
}

/** Words of a command's arguments up to the end of that command (`;`, `&&`, `||`, `|`, `)`). */
export function argumentWords(rest: string): string[] {
  const end = rest.search(/;|&&|\|\||\||\)|(?:^|\s)#/);
  const words = (end < 0 ? rest : rest.slice(0, end)).match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  return words.map(unquote);
}
