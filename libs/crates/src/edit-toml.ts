import { isDeepStrictEqual } from 'node:util';
import { ManifestError } from '@bllvm/manifest';
import { TomlError, parse } from 'smol-toml';
import { type PathStep, TomlScanError, type ValueSpan, samePath, valueSpans } from './toml-spans';

/** One string value to change: where it is, what it must say now, what it says after. */
export interface StringEdit {
  path: readonly PathStep[];
  from: string;
  to: string;
}

/**
 * `text` with the string values at `edits`' paths replaced and nothing else changed: each value is
 * rewritten in its own span, in its own quoting, so comments, spacing, key order and line endings
 * stay byte for byte. Both texts are parsed (smol-toml): the new one must equal the old one with
 * exactly these values changed, or nothing is returned. Throws a ManifestError naming `file` (and
 * the line) for text that is not TOML or a value that is not the string the edit expects. Pure.
 */
export function editStrings(text: string, file: string, edits: readonly StringEdit[]): string {
  const before = parseDoc(text, file);
  const spans = scan(text, file);
  const chosen: { span: ValueSpan; to: string }[] = [];
  for (const edit of edits) {
    const span = spans.find((s) => samePath(s.path, edit.path));
    const where = edit.path.join('.');
    if (!span) throw new ManifestError(file, `no value at ${where}`);
    const current = valueAt(before, edit.path);
    if (typeof current !== 'string') throw new ManifestError(file, `${where} is not a string`, { line: span.line });
    if (current !== edit.from) throw new ManifestError(file, `${where} is "${current.slice(0, 80)}", not "${edit.from}" as planned`, { line: span.line });
    if (chosen.some((c) => c.span === span)) throw new ManifestError(file, `${where} is edited twice`, { line: span.line });
    // The scanner and the parser must agree on what this span holds before it is replaced.
    if (decode(text.slice(span.start, span.end)) !== current) throw new Error(`${file}: the value at ${where} (line ${span.line}) is not where it was found`);
    chosen.push({ span, to: edit.to });
  }
  let out = text;
  for (const { span, to } of [...chosen].sort((a, b) => b.span.start - a.span.start))
    out = out.slice(0, span.start) + quote(to, span.form) + out.slice(span.end);
  const after = parseDoc(out, file);
  const expected = parseDoc(text, file);
  for (const e of edits) setAt(expected, e.path, e.to);
  if (!isDeepStrictEqual(after, expected)) throw new Error(`${file}: editing ${edits.map((e) => e.path.join('.')).join(', ')} would change more than those values`);
  return out;
}

/** The value at `path` of a parsed document, or undefined. */
export function valueAt(doc: unknown, path: readonly PathStep[]): unknown {
  let v: unknown = doc;
  for (const step of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = Object.hasOwn(v, step) ? (v as Record<PathStep, unknown>)[step] : undefined;
  }
  return v;
}

function setAt(doc: unknown, path: readonly PathStep[], value: string): void {
  const parent = valueAt(doc, path.slice(0, -1)) as Record<PathStep, unknown>;
  parent[path[path.length - 1]!] = value;
}

/** The new value in the quoting the old one used, where it can hold it; a basic string otherwise. */
function quote(value: string, form: ValueSpan['form']): string {
  if (form === 'literal' && !/['\n\r]/.test(value) && !/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) return `'${value}'`;
  return JSON.stringify(value).replace(/[\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One written value as TOML reads it. */
function decode(raw: string): unknown {
  return (parse(`v = ${raw}`) as { v: unknown }).v;
}

function parseDoc(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) throw new ManifestError(file, `invalid TOML: ${e.message.split('\n')[0]}`, { line: e.line, column: e.column });
    throw e;
  }
}

function scan(text: string, file: string): ValueSpan[] {
  try {
    return valueSpans(text);
  } catch (e) {
    if (e instanceof TomlScanError) throw new ManifestError(file, `cannot locate its values: ${e.problem}`, { line: e.line });
    throw e;
  }
}
