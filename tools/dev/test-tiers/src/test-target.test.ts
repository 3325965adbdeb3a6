import { describe, expect, it } from 'vitest';
// The plugin is plain CommonJS (Nx loads it without a transpiler).
import { testTarget } from '../nx-plugin.cjs';

describe('testTarget', () => {
  it("runs the project's own unit and integration files, cached on its sources and its upstreams'", () => {
    const t = testTarget('libs/orchestrator');
    expect(t.options.command).toBe('vitest run --project unit --project integration --passWithNoTests libs/orchestrator/');
    expect(t.cache).toBe(true);
    expect(t.inputs).toEqual(expect.arrayContaining(['default', '^default']));
  });
});
