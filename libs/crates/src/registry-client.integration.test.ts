// The registry client against the local cargo registry, directly and through a proxy that fails,
// throttles, stalls or echoes what it was sent, all on 127.0.0.1.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildCrate, sha256Hex, startCargoRegistry, type CargoRegistry } from '@bllvm/cargo-registry';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry, RegistryClient, RegistryRequestError, type RegistryClientOptions } from './registry-client';
import { startFaultProxy, type FaultProxy } from './test/registry-faults';

const TOKEN = 'cio_client_secret_3b9f1d';

let registry: CargoRegistry;
let proxy: FaultProxy;

beforeAll(async () => {
  registry = await startCargoRegistry({ token: TOKEN, seed: true });
  proxy = await startFaultProxy(registry.url);
});

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});

const fast: Partial<RegistryClientOptions> = { retryBaseMs: 5, requestTimeoutMs: 5000 };

function tinyCrate(name: string, version: string, extra = '') {
  const manifest = `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\ndescription = "d"\nlicense = "MIT"\n\n[dependencies.leaf]\nversion = "0.1"\n${extra}`;
  return buildCrate(name, version, [
    { path: 'Cargo.toml', data: Buffer.from(manifest) },
    { path: 'src/lib.rs', data: Buffer.from('pub fn x() {}\n') },
  ]);
}

async function failure(promise: Promise<unknown>): Promise<RegistryRequestError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryRequestError);
    return error as RegistryRequestError;
  }
  throw new Error('succeeded');
}

describe('reading the index', () => {
  it('reads config.json and every version of a crate', async () => {
    const client = await openRegistry({ indexUrl: registry.indexUrl, ...fast });
    expect(await client.registryConfig()).toEqual({ dl: `${registry.url}/api/v1/crates`, api: registry.url, authRequired: false });
    const leaf = await client.indexEntries('leaf');
    expect(leaf.map((e) => [e.vers, e.yanked])).toEqual([
      ['0.1.0', false],
      ['0.1.3', false],
      ['0.1.4', true],
      ['0.2.0', false],
    ]);
    expect((await client.versionEntry('mid', '0.3.1'))!.deps[0]).toMatchObject({ name: 'leaf', req: '^0.1' });
    expect(await client.indexEntries('no-such-crate')).toEqual([]);
  });

  it('retries 5xx and 429 with back-off, honouring Retry-After', async () => {
    const client = new RegistryClient({ indexUrl: proxy.indexUrl, ...fast });
    await client.registryConfig();
    const before = proxy.requests().length;
    proxy.failNext('/index/le/af/leaf', 2, 503);
    proxy.failNext('/index/le/af/leaf', 1, 429, { headers: { 'retry-after': '0' } });
    expect(await client.indexEntries('leaf')).toHaveLength(4);
    expect(proxy.requests().slice(before).map((r) => r.status)).toEqual([503, 503, 429, 200]);
  });

  it('gives up after its retries, naming the registry, the operation and the last answer', async () => {
    const client = new RegistryClient({ indexUrl: proxy.indexUrl, name: 'local-registry', ...fast, retries: 2 });
    proxy.failNext('/index/le/af/leaf', 3, 502, { body: () => '<html><body>Bad gateway</body></html>', headers: { 'content-type': 'text/html' } });
    const e = await failure(client.indexEntries('leaf'));
    expect(e.message).toBe('local-registry: reading the index of leaf failed: HTTP 502: an HTML page (a proxy or load balancer answered, not the registry) (after 3 tries)');
    expect(e.status).toBe(502);
  });

  it('does not wait out a Retry-After past its bound', async () => {
    const client = new RegistryClient({ indexUrl: proxy.indexUrl, name: 'local-registry', ...fast, maxRetryAfterMs: 1000 });
    proxy.failNext('/index/le/af/leaf', 1, 429, { headers: { 'retry-after': '3600' } });
    const started = Date.now();
    const e = await failure(client.indexEntries('leaf'));
    expect(e.message).toMatch(/HTTP 429: injected 429; the registry asks to wait 3600 s, longer than the 1 s allowed$/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('abandons a request that gets no answer in time, and retries it', async () => {
    const client = new RegistryClient({ indexUrl: proxy.indexUrl, name: 'local-registry', retryBaseMs: 5, requestTimeoutMs: 300, retries: 1 });
    proxy.stallNext('/index/le/af/leaf', 1500);
    expect(await client.indexEntries('leaf')).toHaveLength(4);
    proxy.stallNext('/index/le/af/leaf', 1500);
    proxy.stallNext('/index/le/af/leaf', 1500);
    const e = await failure(client.indexEntries('leaf'));
    expect(e.message).toBe('local-registry: reading the index of leaf failed: no answer within 0.3 s (after 2 tries)');
  });

  it('refuses an index line that is not valid, naming the file, line and field', async () => {
    const client = new RegistryClient({ indexUrl: proxy.indexUrl, name: 'local-registry', ...fast });
    proxy.failNext('/index/le/af/leaf', 1, 200, { body: () => '{"name":"leaf","vers":"0.1.0","cksum":"nope","yanked":false}\n' });
    const e = await failure(client.indexEntries('leaf'));
    expect(e.message).toBe('local-registry: reading the index of leaf failed: le/af/leaf:1: `cksum` must be 64 lowercase hex digits (a sha256)');
  });

  it('names an unreachable registry', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const e = await failure(openRegistry({ indexUrl: `sparse+http://127.0.0.1:${port}/index/`, ...fast, retries: 1 }));
    expect(e.message).toMatch(new RegExp(`^sparse\\+http://127\\.0\\.0\\.1:${port}/index/: reading config\\.json failed: network error: .*ECONNREFUSED.* \\(after 2 tries\\)$`));
  });

  it('refuses an index that is not a sparse one', () => {
    expect(() => new RegistryClient({ indexUrl: 'git+https://github.com/rust-lang/crates.io-index' })).toThrow(/is not a URL|not a sparse/);
    expect(() => new RegistryClient({ indexUrl: 'file:///srv/index' })).toThrow(/not a sparse \(http or https\) index/);
  });
});

describe('publishing, yanking and unyanking', () => {
  afterEach(() => proxy.clearRefusals());

  it('publishes a .crate with the metadata from its own Cargo.toml, and the index lists it', async () => {
    const client = await openRegistry({ indexUrl: registry.indexUrl, token: TOKEN, ...fast });
    const bytes = tinyCrate('client-one', '1.0.0');
    expect(await client.publish(bytes, 'client-one-1.0.0.crate')).toEqual({ warnings: [] });
    const entry = await client.versionEntry('client-one', '1.0.0');
    expect(entry).toMatchObject({ cksum: sha256Hex(bytes), yanked: false });
    expect(entry!.deps).toEqual([
      { name: 'leaf', req: '^0.1', features: [], optional: false, default_features: true, target: null, kind: 'normal', registry: 'https://github.com/rust-lang/crates.io-index', package: null },
    ]);

    await client.yank('client-one', '1.0.0');
    expect((await client.versionEntry('client-one', '1.0.0'))!.yanked).toBe(true);
    await client.yank('client-one', '1.0.0');
    await client.unyank('client-one', '1.0.0');
    expect((await client.versionEntry('client-one', '1.0.0'))!.yanked).toBe(false);
  });

  it("reports the registry's refusal in its own words", async () => {
    const client = await openRegistry({ indexUrl: registry.indexUrl, token: TOKEN, name: 'local-registry', ...fast });
    const e = await failure(client.publish(tinyCrate('client-one', '1.0.0', '# other bytes\n'), 'x.crate'));
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/^local-registry: publishing client-one 1\.0\.0 failed: HTTP 400: crate version `1\.0\.0` is already uploaded/);
    const missing = await failure(client.yank('client-one', '9.9.9'));
    expect(missing.message).toMatch(/yanking client-one 9\.9\.9 failed: HTTP 404: crate `client-one` does not have a version `9\.9\.9`/);
  });

  it('never prints the token: a wrong one, or one the registry echoes back', async () => {
    const wrong = await openRegistry({ indexUrl: registry.indexUrl, token: `${TOKEN}-wrong`, ...fast });
    const e = await failure(wrong.publish(tinyCrate('client-two', '1.0.0'), 'x.crate'));
    expect(e.status).toBe(403);
    expect(e.message).toMatch(/not valid for this registry/);
    expect(e.message).not.toContain(TOKEN);

    const echoed = await openRegistry({ indexUrl: proxy.indexUrl, token: TOKEN, ...fast });
    proxy.failNext('/api/v1/crates/new', 1, 400, { body: (req) => JSON.stringify({ errors: [{ detail: `bad token ${req.headers.authorization} (${Buffer.from(`u:${req.headers.authorization}`).toString('base64')})` }] }) });
    const leak = await failure(echoed.publish(tinyCrate('client-two', '1.0.0'), 'x.crate'));
    expect(leak.message).toMatch(/HTTP 400: bad token \*\*\*/);
    expect(leak.message).not.toContain(TOKEN);
    expect(leak.message).not.toContain(Buffer.from(`u:${TOKEN}`).toString('base64'));
    expect(JSON.stringify(leak)).not.toContain(TOKEN);
  });

  it('needs a token for writes, and says so without sending anything', async () => {
    const client = await openRegistry({ indexUrl: proxy.indexUrl, name: 'local-registry', ...fast });
    const before = proxy.requests().length;
    const e = await failure(client.yank('leaf', '0.1.0'));
    expect(e.message).toBe('local-registry: yanking leaf 0.1.0 failed: no registry token is configured; this action needs one');
    expect(proxy.requests().length).toBe(before);
  });

  it('retries an upload the registry failed with 5xx', async () => {
    const client = await openRegistry({ indexUrl: proxy.indexUrl, token: TOKEN, ...fast });
    proxy.failNext('/api/v1/crates/new', 1, 500);
    await client.publish(tinyCrate('client-three', '1.0.0'), 'x.crate');
    expect(proxy.requests().filter((r) => r.path === '/api/v1/crates/new').slice(-2).map((r) => r.status)).toEqual([500, 200]);
    expect(await client.versionEntry('client-three', '1.0.0')).toBeDefined();
  });
});
