import { describe, expect, it } from 'vitest';
import { libraryName } from './api-crate';
import { rustdocJsonArgs } from './cargo-args';

describe('rustdocJsonArgs', () => {
  it('asks rustdoc for the JSON of the library alone, --locked like the build', () => {
    expect(rustdocJsonArgs({ command: 'api' }, true)).toEqual(['rustdoc', '--lib', '--locked', '--', '-Zunstable-options', '--output-format', 'json']);
  });

  it('passes the features and target the options give, and no --release', () => {
    expect(rustdocJsonArgs({ command: 'api', allFeatures: true, rustTarget: 'x86_64-unknown-linux-musl' }, false)).toEqual([
      'rustdoc', '--lib', '--all-features', '--target', 'x86_64-unknown-linux-musl', '--', '-Zunstable-options', '--output-format', 'json',
    ]);
    expect(rustdocJsonArgs({ command: 'api', features: ['a', 'b'], noDefaultFeatures: true, profile: 'release' }, false).slice(0, 5)).toEqual(['rustdoc', '--lib', '--features', 'a,b', '--no-default-features']);
  });
});

describe('libraryName', () => {
  it('is the library target as rustdoc names its output, none for a binary-only crate', () => {
    expect(libraryName({ targets: [{ name: 'tool', kind: ['bin'] }, { name: 'bllvm-node', kind: ['lib'] }] } as never)).toBe('bllvm_node');
    expect(libraryName({ targets: [{ name: 'derive-x', kind: ['proc-macro'] }] } as never)).toBe('derive_x');
    expect(libraryName({ targets: [{ name: 'tool', kind: ['bin'] }] } as never)).toBeUndefined();
  });
});
