import { createHash } from 'node:crypto';

/**
 * The rustdoc JSON format this reader understands: what `cargo rustdoc -- -Zunstable-options
 * --output-format json` of the toolchain the builds use (rustc 1.95) writes. The format changes
 * between toolchains without notice, so any other version is refused rather than half read; after a
 * toolchain bump, update this and regenerate the test fixtures (fixtures/regenerate.sh).
 */
export const RUSTDOC_FORMAT_VERSION = 57;

/** What a rustdoc JSON file may hold before it is refused: it comes out of a sandbox that ran the component's code. */
export const API_LIMITS = {
  /** Bytes of the file (readRustdocApiFile). */
  fileBytes: 256 * 1024 * 1024,
  /** Entries of the public API, every public path counted. */
  items: 200_000,
  /** Modules nested below the root along one public path. */
  moduleDepth: 32,
  /** Types nested inside one type. */
  typeDepth: 64,
  /** Characters of one rendered signature kept as text; a longer one keeps its head and a digest of the whole. */
  signatureChars: 1_000,
} as const;

/** A rustdoc JSON file that cannot be read as a crate's public API: names the file and what is wrong. */
export class ApiReadError extends Error {
  override name = 'ApiReadError';
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(x: unknown): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The one key of an externally tagged rustdoc enum value (`{"function": {...}}` → "function"), or the string itself. */
export function tagOf(x: unknown): { tag: string; body: Json } | undefined {
  if (typeof x === 'string') return { tag: x, body: null };
  if (!isObject(x)) return undefined;
  const keys = Object.keys(x);
  return keys.length === 1 ? { tag: keys[0]!, body: x[keys[0]!]! } : undefined;
}

/** A long signature kept bounded yet still compared exactly: its head and a digest of all of it. Pure. */
export function bounded(text: string): string {
  if (text.length <= API_LIMITS.signatureChars) return text;
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
  return `${text.slice(0, API_LIMITS.signatureChars - 40)}… (sha256 ${digest})`;
}
