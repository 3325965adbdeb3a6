/**
 * Crate names and where cargo looks for them in a sparse index. Pure.
 *
 * Index files are named by the lowercased crate name in a tier of folders: `1/a`, `2/ab`,
 * `3/a/abc`, and `ab/cd/abcd…` for four characters or more (cargo's `{lowerprefix}`).
 */
import { RegistryError } from './errors';

export const MAX_NAME_LENGTH = 64;

/** Names Windows cannot hold as files, which crates.io therefore refuses. */
const RESERVED = new Set(['nul', 'con', 'prn', 'aux', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`com${n}`, `lpt${n}`])]);

/** crates.io's rules: ASCII letters, digits, `-` and `_`, a letter first, at most 64 characters. Null when valid. */
export function crateNameProblem(name: string): string | null {
  if (name.length === 0) return 'the crate name is empty';
  if (name.length > MAX_NAME_LENGTH) return `the crate name \`${name.slice(0, 80)}\` is longer than ${MAX_NAME_LENGTH} characters`;
  if (!/^[A-Za-z]/.test(name)) return `the crate name \`${name}\` must start with an ASCII letter`;
  if (!/^[A-Za-z0-9_-]+$/.test(name)) return `the crate name \`${name}\` may contain only ASCII letters, digits, \`-\` and \`_\``;
  if (RESERVED.has(name.toLowerCase())) return `the crate name \`${name}\` is reserved`;
  return null;
}

export function assertCrateName(name: string): void {
  const problem = crateNameProblem(name);
  if (problem) throw new RegistryError(400, `invalid upload request: ${problem}`);
}

/** The key two names collide on at crates.io: case and `-`/`_` do not tell crates apart. */
export function canonicalName(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

/** The index file of a crate, relative to the index root. */
export function indexPath(name: string): string {
  const n = name.toLowerCase();
  switch (n.length) {
    case 0:
      throw new Error('indexPath: empty crate name');
    case 1:
      return `1/${n}`;
    case 2:
      return `2/${n}`;
    case 3:
      return `3/${n[0]}/${n}`;
    default:
      return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
  }
}

/** The crate an index request asks for, or null when the path is not one cargo would form. */
export function crateForIndexPath(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (crateNameProblem(name) !== null) return null;
  return indexPath(name) === path ? name : null;
}
