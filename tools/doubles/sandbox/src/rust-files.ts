/**
 * Reads the sandbox's Rust side, kept as real files under tools/doubles/sandbox/rust/ so that editors,
 * rustfmt and rustc see them as Rust, not as strings inside TypeScript:
 *
 *   rust/<component>/   the crate's manifest and hand-written sources, committed verbatim
 *   rust/shared/        fault.rs (healthy) and revision.rs (revision 0), the same in every crate
 *   rust/faults/        the injected faults that replace src/fault.rs
 *
 * The files are static inputs, read once and cached, so crate generation stays a function of
 * (component, options) alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of tools/doubles/sandbox/rust. */
export const RUST_DIR = fileURLToPath(new URL('../rust', import.meta.url));

const files = new Map<string, string>();

/** A file under tools/doubles/sandbox/rust, by '/'-separated path relative to it. */
export function rustFile(path: string): string {
  let text = files.get(path);
  if (text === undefined) {
    text = readFileSync(join(RUST_DIR, ...path.split('/')), 'utf8');
    files.set(path, text);
  }
  return text;
}

/** '/'-separated paths of every file under rust/<folder> (all of rust/ for ''), relative to it, sorted. */
export function rustPaths(folder = ''): string[] {
  const root = join(RUST_DIR, folder);
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** Every file under rust/<folder>, keyed by '/'-separated path relative to that folder. */
export function rustTree(folder: string): Record<string, string> {
  return Object.fromEntries(rustPaths(folder).map((p) => [p, rustFile(`${folder}/${p}`)]));
}
