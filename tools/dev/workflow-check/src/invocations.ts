import { argumentWords, scriptLines, unquote } from './script';

/** Something a run script asks of this repository that must exist for the script to work. */
export type Invocation =
  | { kind: 'cli'; command: string; offset: number }
  | { kind: 'nx-target'; target: string; project?: string; offset: number }
  | { kind: 'dynamic'; what: string; offset: number };

// The three ways the CLI is started: the TypeScript entry, the npm script, the npm bin.
const CLI = /(?:tools\/ship\/cli\/src\/main\.ts|tools\/ship\/cli\/bin\/bllvm-release\.cjs|\bnpm\s+run\s+cli\s+--|(?<=^|[\s;&|(])bllvm-release)\s+/g;
const NX = /(?<=^|[\s;&|(])nx\s+(run-many|affected|run)(?=\s|$)/g;

export function invocationsIn(script: string): Invocation[] {
  const found: Invocation[] = [];
  for (const line of scriptLines(script)) {
    for (const m of line.text.matchAll(CLI)) found.push(...cliInvocation(argumentWords(line.text.slice(m.index + m[0].length)), line.offset + m.index));
    for (const m of line.text.matchAll(NX)) found.push(...nxInvocation(m[1]!, argumentWords(line.text.slice(m.index + m[0].length)), line.offset + m.index));
  }
  return found.sort((a, b) => a.offset - b.offset);
}

function cliInvocation(words: string[], offset: number): Invocation[] {
  const [command = '', ...rest] = words;
  if (/[$`]/.test(command)) return [{ kind: 'dynamic', what: `CLI command "${command}"`, offset }];
  if (!command || command.startsWith('-')) return [];
  const found: Invocation[] = [{ kind: 'cli', command, offset }];
  // `build --targets a,b` hands its targets straight to Nx.
  if (command === 'build') for (const list of optionValues(rest, ['--targets'])) found.push(...targetInvocation(list, offset));
  return found;
}

function nxInvocation(verb: string, words: string[], offset: number): Invocation[] {
  if (verb !== 'run') return optionValues(words, ['-t', '--target', '--targets']).flatMap((list) => targetInvocation(list, offset));
  const spec = words.find((w) => !w.startsWith('-'));
  if (spec === undefined) return [];
  if (/[$`]/.test(spec)) return [{ kind: 'dynamic', what: `nx run "${spec}"`, offset }];
  const [project, target] = spec.split(':');
  return project && target ? [{ kind: 'nx-target', project, target, offset }] : [];
}

function targetInvocation(list: string, offset: number): Invocation[] {
  if (/[$`]/.test(list)) return [{ kind: 'dynamic', what: `targets "${list}"`, offset }];
  return list
    .split(',')
    .filter(Boolean)
    .map((target) => ({ kind: 'nx-target' as const, target, offset }));
}

/** Values of `--opt v` and `--opt=v` for any of the given option names. */
function optionValues(words: string[], names: string[]): string[] {
  const values: string[] = [];
  for (const [i, word] of words.entries()) {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    if (!names.includes(name)) continue;
    const value = eq < 0 ? words[i + 1] : unquote(word.slice(eq + 1));
    if (value !== undefined) values.push(value);
  }
  return values;
}
