import type { Input } from './test-inputs';

/**
 * Why `nx affected` took a component that neither changed itself nor depends on an affected one:
 * a file one of its targets reads changed (the executor that builds it, a library the executor
 * uses, a Dockerfile). Nx's inputs say which files those are; this reads them back, so the plan
 * can name the input and the file instead of guessing a workspace-wide change. Pure.
 */

/** One input of a component's targets that a changed file falls in: the name the target gives it (a named input, or the pattern itself), and the files. */
export interface ChangedInput {
  input: string;
  files: string[];
}

interface Pattern {
  /** The name the target's inputs list it under. */
  input: string;
  test: RegExp;
}

/**
 * The inputs of `targets` (each target's `inputs` as Nx reports them) that a changed file falls in,
 * named inputs resolved through `namedInputs` (nx.json). Dependency inputs (`^x`, `dependencies`),
 * runtime, env and external inputs select no file here and are skipped; a `!` pattern anywhere in a
 * target's inputs excludes files from all of them, as Nx reads it.
 */
export function changedInputs(
  projectRoot: string,
  targets: Readonly<Record<string, readonly Input[] | undefined>>,
  namedInputs: Readonly<Record<string, readonly Input[]>>,
  changed: readonly string[],
): ChangedInput[] {
  const found = new Map<string, Set<string>>();
  for (const inputs of Object.values(targets)) {
    const include: Pattern[] = [];
    const exclude: RegExp[] = [];
    const visit = (input: Input, name: string | undefined, seen: ReadonlySet<string>) => {
      const ref = typeof input === 'string' ? input : typeof input.input === 'string' && input.dependencies !== true && input.projects === undefined ? input.input : undefined;
      const fileset = typeof input === 'string' ? input : typeof input.fileset === 'string' ? input.fileset : undefined;
      if (ref !== undefined && Object.hasOwn(namedInputs, ref)) {
        if (seen.has(ref)) return;
        for (const i of namedInputs[ref]!) visit(i, name ?? ref, new Set([...seen, ref]));
        return;
      }
      if (fileset === undefined || fileset.startsWith('^')) return;
      if (fileset.startsWith('!')) exclude.push(globRegExp(fileset.slice(1), projectRoot));
      else if (fileset.startsWith('{')) include.push({ input: name ?? fileset, test: globRegExp(fileset, projectRoot) });
    };
    for (const i of inputs ?? []) visit(i, undefined, new Set());
    for (const file of changed) {
      if (exclude.some((x) => x.test(file))) continue;
      for (const p of include) if (p.test.test(file)) found.set(p.input, (found.get(p.input) ?? new Set()).add(file));
    }
  }
  return [...found].map(([input, files]) => ({ input, files: [...files].sort() })).sort((a, b) => a.input.localeCompare(b.input));
}

/** An Nx file pattern (`{workspaceRoot}/…`, `{projectRoot}/…`, with `**`, `*`, `?` and `{a,b}`) as a test on a workspace-relative path. */
export function globRegExp(pattern: string, projectRoot: string): RegExp {
  const path = pattern.replace(/^\{workspaceRoot\}\//, '').replace(/^\{projectRoot\}/, projectRoot);
  let re = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '*' && path[i + 1] === '*') {
      const slash = path[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{' && path.indexOf('}', i) > i) {
      const end = path.indexOf('}', i);
      re += `(?:${path.slice(i + 1, end).split(',').map(escape).join('|')})`;
      i = end;
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The plan's words for it: `input cargoExecutor changed (a.ts, b.ts and 3 more)`, one clause per input. */
export function describeChangedInputs(changed: readonly ChangedInput[], shown = 3): string {
  const one = (c: ChangedInput) => {
    const listed = c.files.slice(0, shown).join(', ');
    return `${c.input} (${listed}${c.files.length > shown ? ` and ${c.files.length - shown} more` : ''})`;
  };
  return `${changed.length === 1 ? 'input' : 'inputs'} ${changed.map(one).join('; ')} changed`;
}
