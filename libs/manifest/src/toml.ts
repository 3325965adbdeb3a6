import { parse, TomlError } from 'smol-toml';
import { ManifestError } from './errors';

export type TomlTable = Record<string, unknown>;

/** Parse TOML, turning the parser's error into one that names the file, line and column. */
export function parseToml(text: string, file: string): TomlTable {
  try {
    return parse(text) as TomlTable;
  } catch (err) {
    if (err instanceof TomlError) {
      const first = err.message.split('\n')[0] ?? err.message;
      return fail(file, `invalid TOML: ${first}`, err.line, err.column);
    }
    throw err;
  }
}

function fail(file: string, problem: string, line?: number, column?: number): never {
  throw new ManifestError(file, problem, { line, column });
}

export function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'table' : typeof v;
}
