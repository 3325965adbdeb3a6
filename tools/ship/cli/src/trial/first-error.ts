/**
 * The first error line of each task in what Nx printed, pure. Nx's static output prints each task's
 * output as one block under `> nx run <project>:<target>`; in a block, cargo's own `error[E…]:` /
 * `error:` line comes first, then a failing test's panic or `test result: FAILED`.
 */

const HEADER = /^\s*>\s+nx run ([^\s:]+):([^\s:]+)(?::\S+)?(?:\s|$)/;
const MAX_LINE = 300;

/** task id (`project:target`) → the lines printed under it; a task printed twice keeps both blocks. */
export function taskBlocks(output: string): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const raw of output.split('\n')) {
    const line = stripAnsi(raw).replace(/\r$/, '');
    const h = HEADER.exec(line);
    if (h) {
      const id = `${h[1]}:${h[2]}`;
      current = blocks.get(id) ?? [];
      blocks.set(id, current);
      continue;
    }
    // Nx's closing summary is nobody's output.
    if (/^\s*(?:>\s+)?NX\s+/.test(line)) current = undefined;
    current?.push(line);
  }
  return blocks;
}

const RULES: RegExp[] = [/^\s*error(?:\[[A-Z]\d{4}\])?: (?!could not compile|aborting due to)/, /panicked at/, /^\s*test result: FAILED/, /^\s*error\b/i, /\bfailed\b/i];

export function firstErrorLine(lines: readonly string[]): string | undefined {
  for (const rule of RULES) {
    const hit = lines.find((l) => rule.test(l));
    if (hit !== undefined) return bounded(hit.trim());
  }
  return undefined;
}

function bounded(line: string): string {
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
}

function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}
