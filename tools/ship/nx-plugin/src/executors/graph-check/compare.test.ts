import { describe, expect, it } from 'vitest';
import type { StackEdge } from '@bllvm/manifest';
import { checkDeclaredGraph } from './compare';

const comp = (id: string, dependencies: string[], testUpstreams: string[] = []) => ({ id, projectJson: `apps/${id}/project.json`, dependencies, testUpstreams });
const EDGES: StackEdge[] = [
  { from: 'protocol', to: 'consensus', kind: 'normal', via: 'dependencies.blvm-consensus' },
  { from: 'node', to: 'protocol', kind: 'normal', via: 'dependencies.blvm-protocol' },
  { from: 'node', to: 'consensus', kind: 'build', via: 'build-dependencies.blvm-consensus' },
  { from: 'consensus', to: 'muhash', kind: 'dev', via: 'dev-dependencies.blvm-muhash' },
];

describe('checkDeclaredGraph', () => {
  it('passes a declared graph that covers every edge, noting transitive ones', () => {
    const r = checkDeclaredGraph([comp('muhash', []), comp('consensus', [], ['muhash']), comp('protocol', ['consensus']), comp('node', ['protocol'])], EDGES, []);
    expect(r.ok).toBe(true);
    expect(r.lines).toEqual(['note: node depends on consensus directly (build-dependencies.blvm-consensus); covered through the declared graph']);
  });

  it('reports every missing edge, untested dev upstream, extra edge and problem, of every component, in one run', () => {
    const r = checkDeclaredGraph([comp('muhash', ['consensus']), comp('consensus', []), comp('protocol', []), comp('node', [])], EDGES, ['proto@aaaaaaa: patch.crates-io.x points at …']);
    expect(r.ok).toBe(false);
    expect(r.lines).toEqual([
      'error: proto@aaaaaaa: patch.crates-io.x points at …',
      'error: protocol depends on consensus in its Cargo.toml (dependencies.blvm-consensus) but apps/protocol/project.json does not list it in implicitDependencies: a change to consensus would not rebuild protocol',
      'error: node depends on protocol in its Cargo.toml (dependencies.blvm-protocol) but apps/node/project.json does not list it in implicitDependencies: a change to protocol would not rebuild node',
      'error: node depends on consensus in its Cargo.toml (build-dependencies.blvm-consensus) but apps/node/project.json does not list it in implicitDependencies: a change to consensus would not rebuild node',
      "error: consensus's tests depend on muhash in its Cargo.toml (dev-dependencies.blvm-muhash) but the test target in apps/consensus/project.json does not name muhash's pin in its inputs: a change to muhash would not re-run consensus's tests (run nx sync)",
      "warning: apps/muhash/project.json lists consensus, but muhash's Cargo.toml does not depend on it (extra rebuilds)",
    ]);
  });

  it('accepts a dev upstream that the build graph already reaches', () => {
    const r = checkDeclaredGraph([comp('muhash', []), comp('consensus', ['muhash'])], [EDGES[3]!], []);
    expect(r.lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });
});
