import { describe, expect, it } from 'vitest';
import { RegistryError } from './errors';
import type { PublishMetadata } from './metadata';
import { RegistryState } from './state';

const meta = (name: string, vers: string, over: Partial<PublishMetadata> = {}): PublishMetadata => ({
  name,
  vers,
  deps: [],
  features: {},
  authors: [],
  description: `${name} crate`,
  documentation: null,
  homepage: null,
  readme: null,
  readme_file: null,
  keywords: [],
  categories: [],
  license: 'MIT',
  license_file: null,
  repository: null,
  links: null,
  rust_version: null,
  ...over,
});

function refusal(fn: () => unknown): RegistryError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryError);
    return error as RegistryError;
  }
  throw new Error('accepted');
}

describe('RegistryState', () => {
  it('appends versions to the index file in publish order, one line each', () => {
    const s = new RegistryState();
    s.publish(meta('Leaf_Two', '0.2.0'), Buffer.from('b'));
    s.publish(meta('Leaf_Two', '0.1.0'), Buffer.from('a'));
    const lines = s.indexFile('leaf_two')!.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines.map((l) => (l ? (JSON.parse(l) as { vers: string }).vers : ''))).toEqual(['0.2.0', '0.1.0', '']);
    // Only cargo's exact lowercase name finds the file; the other spelling is another index path.
    expect(s.indexFile('leaf-two')).toBeUndefined();
    expect(s.indexFile('nothing')).toBeUndefined();
  });

  it('never replaces a version, nor lets build metadata or spelling sneak around that', () => {
    const s = new RegistryState();
    s.publish(meta('leaf', '1.0.0+a'), Buffer.from('a'));
    const again = refusal(() => s.publish(meta('leaf', '1.0.0+a'), Buffer.from('b')));
    expect([again.status, again.detail]).toEqual([400, expect.stringMatching(/crate version `1\.0\.0\+a` is already uploaded/)]);
    expect(refusal(() => s.publish(meta('leaf', '1.0.0+b'), Buffer.from('c'))).detail).toMatch(/conflicts with the uploaded `1\.0\.0\+a`/);
    expect(refusal(() => s.publish(meta('Leaf', '2.0.0'), Buffer.from('d'))).detail).toBe('crate was previously named `leaf`');
    expect(s.download('leaf', '1.0.0+a').toString()).toBe('a');
  });

  it('yanks and unyanks in place, idempotently; unknown versions are 404', () => {
    const s = new RegistryState();
    s.publish(meta('leaf', '0.1.0'), Buffer.from('a'));
    s.setYanked('leaf', '0.1.0', true);
    s.setYanked('leaf', '0.1.0', true);
    expect(s.indexFile('leaf')).toContain('"yanked":true');
    s.setYanked('LEAF', '0.1.0', false);
    expect(s.indexFile('leaf')).toContain('"yanked":false');
    expect([refusal(() => s.setYanked('leaf', '9.9.9', true)).status, refusal(() => s.setYanked('leaf', '9.9.9', true)).detail]).toEqual([404, 'crate `leaf` does not have a version `9.9.9`']);
    expect(refusal(() => s.download('nope', '0.1.0')).detail).toBe('crate `nope` does not exist');
  });

  it('lists every version highest first, with crates.io’s max_version rules', () => {
    const s = new RegistryState();
    for (const v of ['0.1.0', '0.3.0-rc.1', '0.2.0', '0.2.1']) s.publish(meta('leaf', v, { description: `leaf ${v}` }), Buffer.from(v));
    s.setYanked('leaf', '0.2.1', true);
    s.download('leaf', '0.2.0');
    const info = s.info('leaf');
    expect(info.versions.map((v) => [v.num, v.yanked])).toEqual([
      ['0.3.0-rc.1', false],
      ['0.2.1', true],
      ['0.2.0', false],
      ['0.1.0', false],
    ]);
    expect(info.crate).toMatchObject({ name: 'leaf', max_version: '0.3.0-rc.1', max_stable_version: '0.2.0', newest_version: '0.2.1', description: 'leaf 0.2.1', downloads: 1 });
    expect(info.versions[2]).toMatchObject({ dl_path: '/api/v1/crates/leaf/0.2.0/download', downloads: 1, crate_size: 5, license: 'MIT' });
    s.setYanked('leaf', '0.3.0-rc.1', true);
    s.setYanked('leaf', '0.2.0', true);
    s.setYanked('leaf', '0.1.0', true);
    expect(s.info('leaf').crate).toMatchObject({ max_version: '0.0.0', max_stable_version: null });
  });

  it('searches names the way cargo search expects', () => {
    const s = new RegistryState();
    for (const n of ['leaf', 'leaf_extra', 'mid']) s.publish(meta(n, '1.0.0'), Buffer.from(n));
    expect(s.search('LEAF', 10)).toEqual({ crates: [{ name: 'leaf', max_version: '1.0.0', description: 'leaf crate' }, { name: 'leaf_extra', max_version: '1.0.0', description: 'leaf_extra crate' }], meta: { total: 2 } });
    expect(s.search('leaf-ex', 1).crates.map((c) => c.name)).toEqual(['leaf_extra']);
    expect(s.search('', 1)).toMatchObject({ meta: { total: 3 } });
  });
});
