import { describe, expect, it } from 'vitest';
import { declaredOutputs } from './declared-outputs';

describe('declaredOutputs', () => {
  const app = { targets: [{ name: 'app', kind: ['lib'] }, { name: 'app', kind: ['bin'] }, { name: 'app-tool', kind: ['bin'] }, { name: 'build-script-build', kind: ['custom-build'] }] };
  const lib = { targets: [{ name: 'bllvm_protocol', kind: ['lib'] }, { name: 'integration', kind: ['test'] }] };

  it("names a binary crate's bins, at the profile's folder, and not its internal library", () => {
    expect(declaredOutputs(app, { profile: 'release' })).toEqual([
      { name: 'app', path: 'release/app', kind: 'binary' },
      { name: 'app-tool', path: 'release/app-tool', kind: 'binary' },
    ]);
  });

  it("names a library crate's rlib, under the target triple when there is one", () => {
    expect(declaredOutputs(lib, { profile: 'dev', rustTarget: 'x86_64-unknown-linux-gnu' })).toEqual([
      { name: 'libbllvm_protocol.rlib', path: 'x86_64-unknown-linux-gnu/debug/libbllvm_protocol.rlib', kind: 'library' },
    ]);
    expect(declaredOutputs({ targets: [{ name: 'with-dash', kind: ['rlib'] }] }, { profile: 'release' })[0]!.name).toBe('libwith_dash.rlib');
  });

  it('names nothing for a crate with neither', () => {
    expect(declaredOutputs({ targets: [{ name: 'x', kind: ['test'] }] }, { profile: 'release' })).toEqual([]);
  });
});
