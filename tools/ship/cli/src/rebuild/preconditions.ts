import type { ReleaseManifest } from '@bllvm/release';

/** What this machine and checkout are, against what the release recorded. */
export interface RebuilderState {
  /** HEAD of the checkout `rebuild` runs from. */
  head: string;
  /** Tracked files changed in it (package-lock.json among them would change the tools). */
  dirty: readonly string[];
  /** `rustc -Vv` and `cargo -V` of the toolchain the build sandbox would mount. */
  rustc: string;
  cargo: string;
  /** process.versions.zlib: what compresses the archives. */
  zlib: string;
}

/**
 * Why this checkout and machine cannot rebuild the release, each with what to do; empty when they
 * can. The orchestrator that made a release is its commit: `rebuild` runs only from a clean
 * checkout of it, so the code that builds and stages (and the node_modules installed for it) is
 * the recorded one. Pure.
 */
export function rebuildRefusals(manifest: Pick<ReleaseManifest, 'tag' | 'orchestratorCommit' | 'components' | 'archiver'>, state: RebuilderState): string[] {
  const problems: string[] = [];
  const commit = manifest.orchestratorCommit;
  if (state.head !== commit)
    problems.push(`${manifest.tag} was made by orchestrator commit ${commit.slice(0, 7)}, but this checkout is at ${state.head.slice(0, 7)}: run \`git checkout ${commit} && npm ci\` (or a fresh clone at that commit) and rerun`);
  if (state.dirty.length) problems.push(`this checkout has uncommitted changes (${state.dirty.slice(0, 5).join(', ')}${state.dirty.length > 5 ? ', ...' : ''}): rebuild from a clean checkout of ${commit.slice(0, 7)}`);
  const rustc = new Set(manifest.components.map((c) => c.toolchain));
  for (const t of rustc)
    if (t !== state.rustc) problems.push(`the release was built with\n    ${indent(t)}\n  but this machine's rustc is\n    ${indent(state.rustc)}\n  install that toolchain (rustup toolchain install <version>; rustup override set <version>) and rerun`);
  const cargo = new Set(manifest.components.flatMap((c) => (c.build ? [c.build.settings.cargo] : [])));
  for (const c of cargo) if (c !== state.cargo) problems.push(`the release was built with ${c}, but this machine has ${state.cargo}: install the recorded toolchain`);
  if (manifest.archiver && manifest.archiver.zlib !== state.zlib)
    problems.push(`the release's archives were compressed with zlib ${manifest.archiver.zlib}, this Node.js has zlib ${state.zlib}: use the Node.js version the orchestrator's CI uses (.nvmrc / package.json engines)`);
  if (!manifest.components.some((c) => c.build)) problems.push(`${manifest.tag} records no build settings (made before releases were reproducible): it cannot be rebuilt`);
  return problems;
}

function indent(text: string): string {
  return text.trim().split('\n').join('\n    ');
}
