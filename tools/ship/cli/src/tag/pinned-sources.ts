import type { ReleaseSource } from '@bllvm/crates';
import type { Component } from '@bllvm/manifest';
import { type SourcesConfig, ensureMirror, gitReason, inTurn } from '@bllvm/sources';
import { CommandError } from '../command';
import { plumbing } from './git-plumbing';

/** What a release commit starts from: the component's mirror (just fetched), and its crate's Cargo.toml and committed Cargo.lock at its pin. */
export interface PinnedSource extends ReleaseSource {
  mirror: string;
}

const MAX_BYTES = 1024 * 1024;

/**
 * Each component's mirror, fetched now (the tags and branches it holds are the remote's as of this
 * run), and its crate's Cargo.toml at its pin, with the Cargo.lock of the crate's workspace when
 * the repository commits one: the nearest Cargo.lock in the crate's folder or above it. Read from
 * the mirror's objects: no checkout, nothing of the repository run. Four repositories at a time.
 */
export async function readPinnedSources(cfg: SourcesConfig, components: readonly Component[]): Promise<Record<string, PinnedSource>> {
  const read = await inTurn(components, 4, async (c): Promise<PinnedSource> => {
    const mirror = await ensureMirror(cfg, c.repository, { commit: c.pin.commit, component: c.id, refresh: true });
    const at = (path: string) => ({ path, file: `${c.repository}@${c.pin.commit.slice(0, 7)}:${path}` });
    const inDir = (dir: string, name: string) => (dir === '.' || dir === '' ? name : `${dir}/${name}`);
    const manifest = at(inDir(c.crate.dir, 'Cargo.toml'));
    const text = await blob(mirror, c.pin.commit, manifest.path, `${c.id}: ${manifest.file}`);
    if (text === undefined) throw new CommandError(`${c.id}: ${manifest.file}: no such file at the pin`);
    let lock: PinnedSource['lock'];
    for (let dir = c.crate.dir; ; dir = parent(dir)) {
      const where = at(inDir(dir, 'Cargo.lock'));
      const found = await blob(mirror, c.pin.commit, where.path, `${c.id}: ${where.file}`);
      if (found !== undefined) {
        lock = { ...where, text: found };
        break;
      }
      if (dir === '.' || dir === '') break;
    }
    return { component: c.id, mirror, manifest: { ...manifest, text }, ...(lock ? { lock } : {}) };
  });
  return Object.fromEntries(components.map((c, i) => [c.id, read[i]!]));
}

function parent(dir: string): string {
  const i = dir.lastIndexOf('/');
  return i < 0 ? '.' : dir.slice(0, i);
}

/** A file's text at a commit, or undefined where the commit has no such file. */
async function blob(mirror: string, commit: string, path: string, name: string): Promise<string | undefined> {
  const object = `${commit}:${path}`;
  const size = await plumbing(['cat-file', '-s', object], { cwd: mirror });
  if (!size.ok) return undefined;
  if (Number(size.stdout.trim()) > MAX_BYTES) throw new CommandError(`${name}: larger than ${MAX_BYTES} bytes`);
  // Untrimmed: the release commit must keep every byte, the last newline too.
  const shown = await plumbing(['cat-file', 'blob', object], { cwd: mirror });
  if (!shown.ok) throw new CommandError(`${name}: cannot read: ${gitReason(shown)}`);
  return shown.stdout;
}
