// The generated stack's DAG (pure) and its org (real git): deterministic, layered, fan-in 1–3.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGeneratedOrg, generateStack, generatedRepositoryFiles, generatedVersionsToml } from './index';
import { gitOut, tempDir } from './testing';

describe('generateStack', () => {
  it('is a pure function of (components, seed)', () => {
    expect(generateStack(50, 7)).toEqual(generateStack(50, 7));
    expect(generateStack(50, 7)).not.toEqual(generateStack(50, 8));
  });

  it.each([1, 2, 12, 50, 200])('makes %i crates in layers of about √N, each depending on 1–3 of the layer below', (n) => {
    const s = generateStack(n, 3);
    expect(s.repositories.map((r) => r.name)).toEqual(Array.from({ length: n }, (_, i) => `stack-${String(i).padStart(3, '0')}`));
    const layerOf = new Map(s.repositories.map((r) => [r.name, r.layer]));
    for (const r of s.repositories) {
      if (r.layer === 0) expect(r.dependsOn).toEqual([]);
      else {
        expect(r.dependsOn.length).toBeGreaterThanOrEqual(1);
        expect(r.dependsOn.length).toBeLessThanOrEqual(3);
        for (const d of r.dependsOn) expect(layerOf.get(d)).toBe(r.layer - 1);
      }
      expect([...r.dependsOn].sort()).toEqual(r.dependsOn);
    }
    const width = Math.max(2, Math.ceil(Math.sqrt(n)));
    expect(Math.max(...s.repositories.map((r) => r.layer))).toBe(Math.ceil(n / width) - 1);
  });

  it('has fan-in: some crate of a larger stack is depended on by more than one crate', () => {
    const s = generateStack(50, 1);
    const dependents = new Map<string, number>();
    for (const r of s.repositories) for (const d of r.dependsOn) dependents.set(d, (dependents.get(d) ?? 0) + 1);
    expect(Math.max(...dependents.values())).toBeGreaterThan(1);
    expect(s.repositories.some((r) => r.dependsOn.length > 1)).toBe(true);
  });

  it('rejects sizes outside 1–999', () => {
    expect(() => generateStack(0)).toThrow(/from 1 to 999/);
    expect(() => generateStack(1000)).toThrow(/from 1 to 999/);
    expect(() => generateStack(2.5)).toThrow(/from 1 to 999/);
  });

  it('writes manifests whose path dependencies are the DAG, and a versions.toml that requires them', () => {
    const s = generateStack(12, 1);
    const r = s.repositories.find((x) => x.dependsOn.length > 1)!;
    const files = generatedRepositoryFiles(r);
    for (const d of r.dependsOn) {
      expect(files['Cargo.toml']).toContain(`${d} = { path = "../${d}" }`);
      expect(files['src/lib.rs']).toContain(`${d.replace('-', '_')}::weight()`);
    }
    expect(generatedVersionsToml(s)).toContain(`${r.name} = { version = "0.1.0", git_tag = "v0.1.0", git_commit = "", requires = [${r.dependsOn.map((d) => `"${d}=0.1.0"`).join(', ')}] }`);
  });
});

describe('createGeneratedOrg', () => {
  it('makes one bare repository per crate, with the same commit ids for the same (components, seed)', async () => {
    const root = await tempDir('generated');
    try {
      const a = await createGeneratedOrg({ dir: join(root, 'a'), components: 5, seed: 2 });
      const b = await createGeneratedOrg({ dir: join(root, 'b'), components: 5, seed: 2 });
      expect(a.profile).toBe('generated');
      expect(a.repositories).toEqual(['stack-000', 'stack-001', 'stack-002', 'stack-003', 'stack-004']);
      expect(b.heads).toEqual(a.heads);
      const r = a.stack.repositories[4]!;
      expect(await gitOut(a.repoPath(r.name), ['show', 'main:Cargo.toml'])).toBe(generatedRepositoryFiles(r)['Cargo.toml']!.trim());
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
