import { posix } from 'node:path';
import { parse } from 'smol-toml';
import type { ComponentKind } from '@bllvm/manifest';

/** Where a repository's component crate is at one commit, and what it ships. */
export interface CrateLayout {
  /** The crate's folder inside the repository ('.' for the root). */
  dir: string;
  /** Its package name. */
  name: string;
  kind: Extract<ComponentKind, 'library' | 'binary'>;
  /** Other package manifests seen (examples, fuzz crates, workspace members): never components by themselves. */
  others: string[];
}

export type LayoutResult = { ok: true; layout: CrateLayout } | { ok: false; problem: string };

/** Folders whose manifests are never the component's crate (REAL-STACK: examples/, fuzz crates). */
const NOT_A_COMPONENT = /^(examples?|fuzz|benches|tests|target)(\/|$)|\/(examples?|fuzz|benches|tests)(\/|$)/;

/**
 * Pick the component's crate among a repository's files at one commit: the root package when there
 * is one, else the single package one folder down (as bllvm-commons/Cargo.toml once was), preferring
 * the folder named after the repository. Pure: `files` lists the tracked paths, `read` gives a file.
 */
export function chooseCrate(repoName: string, files: readonly string[], read: (path: string) => string | undefined, crateDir?: string): LayoutResult {
  const manifests = files.filter((f) => f === 'Cargo.toml' || f.endsWith('/Cargo.toml'));
  const packages = manifests
    .map((path) => ({ path, dir: posix.dirname(path), name: packageName(read(path)) }))
    .filter((m): m is { path: string; dir: string; name: string } => m.name !== undefined);
  const pick = (dir: string) => packages.find((p) => p.dir === dir);
  const root = pick('.');
  const candidates = packages.filter((p) => p.dir !== '.' && !p.dir.includes('/') && !NOT_A_COMPONENT.test(p.dir));
  if (crateDir !== undefined && !pick(crateDir)) return { ok: false, problem: `no package in ${crateDir === '.' ? 'the root Cargo.toml' : `${crateDir}/Cargo.toml`}` };
  const chosen = crateDir !== undefined ? pick(crateDir) : (root ?? (candidates.length === 1 ? candidates[0] : candidates.find((c) => c.dir === repoName || c.name === repoName)));
  if (!chosen) {
    const problem = packages.length === 0
      ? 'no Cargo.toml with a [package] in the repository'
      : `no package at the root and ${candidates.length ? `several one folder down (${candidates.map((c) => c.dir).join(', ')})` : 'none one folder down'}; name the crate's folder with --crate-dir`;
    return { ok: false, problem };
  }
  const inDir = (f: string) => (chosen.dir === '.' ? f : `${chosen.dir}/${f}`);
  const text = read(chosen.path) ?? '';
  const hasBin = /^\s*\[\[bin\]\]/m.test(text) || files.includes(inDir('src/main.rs')) || files.some((f) => f.startsWith(inDir('src/bin/')) && f.endsWith('.rs'));
  return {
    ok: true,
    layout: { dir: chosen.dir, name: chosen.name, kind: hasBin ? 'binary' : 'library', others: packages.filter((p) => p !== chosen).map((p) => p.path) },
  };
}

function packageName(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const name = (parse(text) as { package?: { name?: unknown } }).package?.name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
