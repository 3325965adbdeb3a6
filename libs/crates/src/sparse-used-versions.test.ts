import { describe, expect, it } from 'vitest';
import { CRATES_IO_SPARSE_INDEX, sparseIndexVersions } from './sparse-used-versions';

// The HTTP itself is exercised against the local registry in the CLI's integration test; here the
// answers are given, to cover each one the reader must tell apart.
const line = (vers: string, yanked = false, name = 'blvm-node') => JSON.stringify({ name, vers, deps: [], cksum: 'c'.repeat(64), features: {}, yanked });

function answering(status: number, body = '', seen: string[] = []): typeof fetch {
  return (async (url: string | URL | Request) => {
    seen.push(String(url));
    return new Response(status === 204 ? null : body, { status });
  }) as typeof fetch;
}

describe('sparseIndexVersions', () => {
  it('reads every version of the crate\'s index file, yanked ones marked', async () => {
    const seen: string[] = [];
    const used = sparseIndexVersions('sparse+http://127.0.0.1:9/index/', { fetch: answering(200, [line('0.1.0'), line('0.1.4', true), '', line('0.2.0')].join('\n'), seen) });
    expect(await used('blvm-node')).toEqual([
      { version: '0.1.0', yanked: false },
      { version: '0.1.4', yanked: true },
      { version: '0.2.0', yanked: false },
    ]);
    expect(seen).toEqual(['http://127.0.0.1:9/index/bl/vm/blvm-node']);
  });

  it('defaults to crates.io, and adds the slash a configured index may lack', async () => {
    const seen: string[] = [];
    await sparseIndexVersions(undefined, { fetch: answering(404, '', seen) })('leaf');
    await sparseIndexVersions('sparse+https://mirror.example/index', { fetch: answering(404, '', seen) })('ab');
    expect(CRATES_IO_SPARSE_INDEX).toBe('sparse+https://index.crates.io/');
    expect(seen).toEqual(['https://index.crates.io/le/af/leaf', 'https://mirror.example/index/2/ab']);
  });

  it('takes a crate the index does not have as never published', async () => {
    for (const status of [404, 410, 451]) expect(await sparseIndexVersions(undefined, { fetch: answering(status) })('leaf')).toEqual([]);
  });

  it('fails in one line naming the registry when it cannot be reached or answers otherwise', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    }) as typeof fetch;
    await expect(sparseIndexVersions('sparse+http://127.0.0.1:9/index/', { fetch: refused })('leaf')).rejects.toThrow(
      /^cannot reach the cargo registry sparse\+http:\/\/127\.0\.0\.1:9\/index\/ \(reading leaf's versions\): connect ECONNREFUSED 127\.0\.0\.1:9$/,
    );
    await expect(sparseIndexVersions('sparse+http://127.0.0.1:9/index/', { fetch: answering(503, 'busy') })('leaf')).rejects.toThrow(
      "the cargo registry sparse+http://127.0.0.1:9/index/ answered 503 for leaf's index file (le/af/leaf)",
    );
  });

  it('refuses a broken index file naming the file and line', async () => {
    const used = sparseIndexVersions('sparse+http://127.0.0.1:9/index/', { fetch: answering(200, `${line('0.1.0')}\n{"name":"blvm-node","vers":"0.1"}`) });
    await expect(used('blvm-node')).rejects.toThrow(/^http:\/\/127\.0\.0\.1:9\/index\/bl\/vm\/blvm-node:2: `vers` `0\.1` is not a semantic version/);
    const other = sparseIndexVersions('sparse+http://127.0.0.1:9/index/', { fetch: answering(200, line('0.1.0', false, 'leaf')) });
    await expect(other('blvm-node')).rejects.toThrow(/:1: `name` is `leaf` in the index file of `blvm-node`/);
  });

  it('refuses what is not a sparse index or a crate name', () => {
    expect(() => sparseIndexVersions('https://github.com/rust-lang/crates.io-index')).toThrow('is not a sparse index');
    return expect(sparseIndexVersions(undefined, { fetch: answering(404) })('../x')).rejects.toThrow('"../x" is not a crate name');
  });
});
