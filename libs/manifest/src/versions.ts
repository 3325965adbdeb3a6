import { readFile } from 'node:fs/promises';
import type { Component } from './component';
import { ManifestError, ManifestErrors, lineOfKey } from './errors';
import { topologicalOrder } from './graph';
import { NameError, resolveComponent } from './names';
import { isCommitSha, printable, refProblem } from './refs';
import { isTable, parseToml, typeName } from './toml';

/** One component of the official release set, as in the real versions.toml schema. */
export interface VersionEntry {
  /** The component's id when the file was read against the stack (its name in the file may be another of its names). */
  name: string;
  version: string;
  /**
   * Informational: the real files name a tag for every component, most of which do not exist yet.
   * Only its syntax is checked; nothing looks it up (releases are tagged from the pins, release-tag.ts).
   */
  gitTag: string;
  /** 40-hex, or undefined where the file leaves it empty (resolved from the tag at release time). */
  gitCommit?: string;
  /** name → exact version required. */
  requires: Record<string, string>;
  binaries: string[];
}

export interface VersionsFile {
  file: string;
  entries: Record<string, VersionEntry>;
  metadata: Record<string, unknown>;
  /** Components in build order (dependencies first). */
  buildOrder: string[];
  /** Tolerated but ignored content (later schema extensions), and former names, each naming the current one. */
  warnings: string[];
  /** entry name (as in `entries`) → how the file writes it and on which line, for messages. */
  locations: Record<string, { written: string; line?: number }>;
}

export interface VersionsOptions {
  /**
   * The stack: names in the file (entries and requires) may then be any name of a component
   * (names.ts) and are read as its id; a former name is accepted with a warning.
   */
  components?: readonly Component[];
}

const ENTRY_KEYS = ['version', 'git_tag', 'git_commit', 'requires', 'binaries'];
const TOP_KEYS = ['versions', 'metadata'];
/** Tables that later versions of the real file added; read-only tolerance, not part of our model. */
const LATER_TOP_TABLES = ['modules'];
const LATER_VERSION_TABLES = ['develop'];
const MAX_BYTES = 1024 * 1024;

/** Strict X.Y.Z: numeric, no leading zeros, no prefix or suffix. */
export const SEMVER_STRICT = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;

export function parseVersions(text: string, file: string, options: VersionsOptions = {}): VersionsFile {
  if (text.length > MAX_BYTES) throw new ManifestError(file, `file is larger than ${MAX_BYTES} bytes`);
  const doc = parseToml(text, file);
  const errors: ManifestError[] = [];
  const warnings: string[] = [];
  const err = (problem: string, field: string, key = field.split('.').pop()!) =>
    errors.push(new ManifestError(file, problem, { field, line: lineOfKey(text, key) }));

  for (const key of Object.keys(doc)) {
    if (LATER_TOP_TABLES.includes(key)) warnings.push(`${file}: [${key}] is not used by the orchestrator; ignored`);
    else if (!TOP_KEYS.includes(key)) err(`unknown top-level key (expected [versions] and optional [metadata])`, printable(key));
  }
  // A name as the stack knows it: the component's id, or the name itself when it names none (the
  // graph check reports it); a name several components answer to is an error.
  const warned = new Set<string>();
  const canonical = (name: string, field: string, key: string): string => {
    if (!options.components) return name;
    try {
      const { component, warning } = resolveComponent(options.components, name);
      if (warning && !warned.has(name)) {
        warned.add(name);
        const line = lineOfKey(text, key);
        warnings.push(`${file}${line !== undefined ? `:${line}` : ''}: ${field}: ${warning}`);
      }
      return component.id;
    } catch (e) {
      if (!(e instanceof NameError)) throw e;
      if (e.reason === 'ambiguous') err(e.message, field, key);
      return name;
    }
  };
  const versions = doc.versions;
  const entries: Record<string, VersionEntry> = {};
  const locations: VersionsFile['locations'] = {};
  if (versions === undefined) err('missing [versions] table', 'versions');
  else if (!isTable(versions)) err(`must be a table, found ${typeName(versions)}`, 'versions');
  else {
    for (const [name, raw] of Object.entries(versions)) {
      if (LATER_VERSION_TABLES.includes(name)) {
        warnings.push(`${file}: [versions.${name}] is not used by the orchestrator; ignored`);
        continue;
      }
      const entry = parseEntry(name, raw, (problem, field) => err(problem, `versions.${printable(name)}${field ? '.' + field : ''}`, name));
      if (!entry) continue;
      const id = canonical(name, `versions.${name}`, name);
      if (Object.hasOwn(entries, id)) {
        err(`names the same component as versions.${locations[id]!.written} (${id}); keep one entry`, `versions.${name}`, name);
        continue;
      }
      const requires: Record<string, string> = {};
      for (const [dep, v] of Object.entries(entry.requires)) {
        const depId = canonical(dep, `versions.${name}.requires`, name);
        if (Object.hasOwn(requires, depId)) err(`"${dep}" names ${depId}, which is already listed`, `versions.${name}.requires`, name);
        requires[depId] = v;
      }
      entries[id] = { ...entry, name: id, requires };
      locations[id] = { written: name, line: lineOfKey(text, name) };
    }
  }
  if (doc.metadata !== undefined && !isTable(doc.metadata)) err(`must be a table, found ${typeName(doc.metadata)}`, 'metadata');

  // References between entries: undefined dependencies and version disagreements, then cycles.
  for (const entry of Object.values(entries)) {
    for (const [dep, version] of Object.entries(entry.requires)) {
      // Names come from the file: never let one resolve to an Object.prototype member.
      const target = Object.hasOwn(entries, dep) ? entries[dep] : undefined;
      const written = locations[entry.name]!.written;
      if (!target) err(`requires undefined component "${printable(dep)}"`, `versions.${written}.requires`, written);
      else if (target.version !== version)
        err(`requires ${dep}=${version} but ${dep} is at version ${target.version}`, `versions.${written}.requires`, written);
    }
  }
  let buildOrder: string[] = [];
  if (errors.length === 0) {
    try {
      buildOrder = topologicalOrder(
        Object.fromEntries(Object.values(entries).map((e) => [e.name, Object.keys(e.requires)])),
        file,
      );
    } catch (e) {
      errors.push(e as ManifestError);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ManifestErrors(errors);
  return { file, entries, metadata: (doc.metadata as Record<string, unknown>) ?? {}, buildOrder, warnings, locations };
}

function parseEntry(name: string, raw: unknown, err: (problem: string, field: string) => void): VersionEntry | undefined {
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(name)) {
    err(`"${printable(name)}" is not a valid component name (lowercase letters, digits, - and _)`, '');
    return undefined;
  }
  if (!isTable(raw)) {
    err(`must be a table, found ${typeName(raw)}`, '');
    return undefined;
  }
  let ok = true;
  const bad = (problem: string, field: string) => {
    ok = false;
    err(problem, field);
  };
  for (const key of Object.keys(raw))
    if (!ENTRY_KEYS.includes(key)) bad(`unknown field (expected ${ENTRY_KEYS.join(', ')})`, printable(key));

  const { version, git_tag: gitTag, git_commit: gitCommit, requires, binaries } = raw;
  if (version === undefined) bad('missing (required, X.Y.Z)', 'version');
  else if (typeof version !== 'string') bad(`must be a string, found ${typeName(version)}`, 'version');
  else if (!SEMVER_STRICT.test(version)) bad(`"${printable(version)}" is not a strict X.Y.Z version`, 'version');

  if (gitTag === undefined) bad('missing (required)', 'git_tag');
  else if (typeof gitTag !== 'string') bad(`must be a string, found ${typeName(gitTag)}`, 'git_tag');
  else {
    const p = refProblem(gitTag);
    if (p) bad(`tag ${p}`, 'git_tag');
  }

  if (gitCommit !== undefined) {
    if (typeof gitCommit !== 'string') bad(`must be a string, found ${typeName(gitCommit)}`, 'git_commit');
    else if (gitCommit !== '' && !isCommitSha(gitCommit))
      bad(`"${printable(gitCommit)}" is not empty or a 40-character lowercase hex commit`, 'git_commit');
  }

  const req: Record<string, string> = {};
  if (requires !== undefined) {
    if (!Array.isArray(requires)) bad(`must be an array of "name=version", found ${typeName(requires)}`, 'requires');
    else
      for (const item of requires) {
        const m = typeof item === 'string' ? /^([^=\s]+)=([^=\s]+)$/.exec(item) : null;
        if (!m) bad(`item ${typeof item === 'string' ? `"${printable(item)}"` : typeName(item)} is not "name=version"`, 'requires');
        else if (!SEMVER_STRICT.test(m[2]!)) bad(`"${printable(item as string)}": "${printable(m[2]!)}" is not a strict X.Y.Z version`, 'requires');
        else if (Object.hasOwn(req, m[1]!)) bad(`"${m[1]}" is listed twice`, 'requires');
        else if (m[1] === name) bad(`"${name}" requires itself`, 'requires');
        else req[m[1]!] = m[2]!;
      }
  }
  const bins: string[] = [];
  if (binaries !== undefined) {
    if (!Array.isArray(binaries)) bad(`must be an array of strings, found ${typeName(binaries)}`, 'binaries');
    else
      for (const b of binaries) {
        if (typeof b !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(b))
          bad(`${typeof b === 'string' ? `"${printable(b)}"` : typeName(b)} is not a valid binary name`, 'binaries');
        else bins.push(b);
      }
  }
  if (!ok) return undefined;
  return {
    name,
    version: version as string,
    gitTag: gitTag as string,
    gitCommit: gitCommit ? (gitCommit as string) : undefined,
    requires: req,
    binaries: bins,
  };
}

export async function readVersions(file: string, options: VersionsOptions = {}): Promise<VersionsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ManifestError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseVersions(text, file, options);
}
