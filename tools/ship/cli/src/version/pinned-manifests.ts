import type { Component } from '@bllvm/manifest';
import { type SourcesConfig, ensureMirror, git, gitReason, inTurn } from '@bllvm/sources';
import { CommandError } from '../command';

/** A component's crate manifest at its pin: the text, and how messages name it (`owner/repo@abc1234:dir/Cargo.toml`). */
export interface PinnedManifest {
  text: string;
  file: string;
}

const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * Each component's Cargo.toml at its pinned commit, read from its mirror's objects (no checkout, no
 * cargo, nothing of the repository run), four repositories at a time.
 */
export async function readPinnedManifests(cfg: SourcesConfig, components: readonly Component[]): Promise<Record<string, PinnedManifest>> {
  const read = await inTurn(components, 4, async (c) => {
    const mirror = await ensureMirror(cfg, c.repository, { commit: c.pin.commit, component: c.id });
    const path = c.crate.dir === '.' ? 'Cargo.toml' : `${c.crate.dir}/Cargo.toml`;
    const file = `${c.repository}@${c.pin.commit.slice(0, 7)}:${path}`;
    const object = `${c.pin.commit}:${path}`;
    const size = await git(['cat-file', '-s', object], { cwd: mirror });
    if (!size.ok) throw new CommandError(`${c.id}: ${file}: cannot read: ${gitReason(size)}`);
    if (Number(size.stdout) > MAX_MANIFEST_BYTES) throw new CommandError(`${c.id}: ${file}: larger than ${MAX_MANIFEST_BYTES} bytes`);
    const shown = await git(['cat-file', 'blob', object], { cwd: mirror });
    if (!shown.ok) throw new CommandError(`${c.id}: ${file}: cannot read: ${gitReason(shown)}`);
    return { text: shown.stdout, file };
  });
  return Object.fromEntries(components.map((c, i) => [c.id, read[i]!]));
}
