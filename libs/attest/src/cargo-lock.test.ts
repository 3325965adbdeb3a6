import { describe, expect, it } from 'vitest';
import { lockedTree, reachablePackages } from './cargo-lock';
import { buildSbom } from './sbom';

const REG = 'registry+https://github.com/rust-lang/crates.io-index';
export const LOCK = `version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["core-lib", "serde 1.0.200"]

[[package]]
name = "core-lib"
version = "0.2.0"
dependencies = ["serde 1.0.100 (${REG})"]

[[package]]
name = "serde"
version = "1.0.100"
source = "${REG}"
checksum = "${'1'.repeat(64)}"

[[package]]
name = "serde"
version = "1.0.200"
source = "${REG}"
checksum = "${'2'.repeat(64)}"

[[package]]
name = "unrelated"
version = "9.0.0"
source = "${REG}"
checksum = "${'3'.repeat(64)}"
`;

describe('Cargo.lock', () => {
  it('follows the dependency lists from the crate, disambiguating by version and source', () => {
    const names = reachablePackages(lockedTree(LOCK, 'app')).map((p) => `${p.name}@${p.version}`).sort();
    expect(names).toEqual(['core-lib@0.2.0', 'serde@1.0.100', 'serde@1.0.200']);
  });

  it('names a crate the lock does not hold', () => {
    expect(() => lockedTree(LOCK, 'nope')).toThrow(/no local package nope/);
  });
});

describe('CycloneDX SBOM', () => {
  const input = { component: 'bllvm', crate: 'app', version: '0.1.0', repository: 'Org/app', commit: 'c'.repeat(40), files: [{ name: 'bllvm-x.tar.gz', sha256: 'd'.repeat(64) }], lockText: LOCK };

  it('lists what the crate resolves, with checksums and the dependency graph, and the same bytes every time', () => {
    const text = buildSbom(input);
    expect(buildSbom(input)).toBe(text);
    const bom = JSON.parse(text) as { bomFormat: string; specVersion: string; metadata: { component: { name: string; purl: string } }; components: { name: string; version: string; purl?: string; hashes?: { content: string }[] }[]; dependencies: { ref: string; dependsOn?: string[] }[] };
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    expect(bom.metadata.component).toMatchObject({ name: 'bllvm', purl: `pkg:github/org/app@${'c'.repeat(40)}` });
    expect(bom.components.map((c) => `${c.name}@${c.version}`).sort()).toEqual(['core-lib@0.2.0', 'serde@1.0.100', 'serde@1.0.200']);
    expect(bom.components.find((c) => c.version === '1.0.200')).toMatchObject({ purl: 'pkg:cargo/serde@1.0.200', hashes: [{ content: '2'.repeat(64) }] });
    expect(text).not.toContain('unrelated');
    expect(bom.dependencies.find((d) => d.ref === 'local:core-lib@0.2.0')!.dependsOn).toEqual(['pkg:cargo/serde@1.0.100']);
    expect(text).not.toMatch(/timestamp|serialNumber/);
  });
});
