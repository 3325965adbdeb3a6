import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CrateFacts, MetadataPackage } from '@bllvm/manifest';
import { buildOptionProblems } from './build-options';

/** Real `cargo metadata --no-deps` output (test/fixtures/stack-metadata/capture.ts). */
const FACTS = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../../../libs/manifest/src/fixtures/stack-metadata.json'), 'utf8')) as Record<string, CrateFacts>;
const pkg = (folder: string, name: string): MetadataPackage => FACTS[folder]!.meta.packages.find((p) => p.name === name)!;
const AT = { component: 'secp', commit: 'b'.repeat(40) };

describe('buildOptionProblems', () => {
  it('accepts defined features, default, implicit features of optional dependencies and dep/feature forwarding', () => {
    expect(buildOptionProblems(pkg('sec', 'sec-lib'), { features: ['std', 'asm', 'default'], binaries: ['sec-tool', 'sec-bench'] }, AT)).toEqual([]);
    // proto: "mu" and "sec-lib" exist as implicit features; "cons/x" forwards to a dependency
    expect(buildOptionProblems(pkg('proto', 'proto'), { features: ['mu', 'sec-lib', 'fast', 'cons/x', 'mu/std,fast'] }, AT)).toEqual([]);
  });

  it('names the component, the commit and the features the crate defines, for every bad option at once', () => {
    expect(buildOptionProblems(pkg('sec', 'sec-lib'), { features: ['production', 'std', 'rocksdb'], binaries: ['sec-tool', 'blvm'] }, AT)).toEqual([
      'secp@bbbbbbb: feature "production" is not defined by sec-lib at this commit; it defines: asm, default, std',
      'secp@bbbbbbb: feature "rocksdb" is not defined by sec-lib at this commit; it defines: asm, default, std',
      'secp@bbbbbbb: binary "blvm" is not a bin target of sec-lib at this commit; its binaries: sec-bench, sec-tool',
    ]);
  });

  it('rejects forwarding to a crate that is not a dependency, and an implicit feature that dep: syntax removed', () => {
    // cons enables sec-lib only through "secp = [dep:sec-lib]": cargo defines no feature "sec-lib"
    expect(buildOptionProblems(pkg('cons', 'cons'), { features: ['sec-lib', 'secp', 'primitives/x', 'blvm-node/redb'] }, AT)).toEqual([
      'secp@bbbbbbb: feature "sec-lib" is not defined by cons at this commit; it defines: default, secp',
      'secp@bbbbbbb: feature "blvm-node/redb" forwards to "blvm-node", which is not a dependency of cons at this commit (its dependencies: mu, primitives, sec-lib)',
    ]);
  });
});
