import { type SourcesConfig, git, paths } from '@bllvm/sources';
import type { PinMove } from './plan-moves';

/**
 * Can the moves change the component graph? The graph is derived from the pinned Cargo manifests
 * alone, so not when every moved pin stays in its repository and folder and no Cargo.toml of its
 * repository differs between the two commits (asked of the mirror the moves were planned from).
 * Most moves are such: deriving the graph for them (an Nx start and cargo in the sandbox per pin
 * move) would change nothing. When git cannot tell, the answer is yes.
 */
export async function movesMayChangeGraph(cfg: SourcesConfig, moves: readonly (PinMove & { repository: string })[]): Promise<boolean> {
  for (const m of moves) {
    if (m.adopted) return true;
    const diff = await git(['diff', '--quiet', m.from, m.to, '--', ':(glob)**/Cargo.toml'], { cwd: paths.mirror(cfg, m.repository) });
    if (!diff.ok) return true; // exit 1: a manifest changed; anything else: cannot tell
  }
  return false;
}
