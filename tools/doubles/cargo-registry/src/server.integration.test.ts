import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCrate, sha256Hex } from './crate-archive';
import { encodePublishBody } from './publish-body';
import { startCargoRegistry, type CargoRegistry } from './server';

const TOKEN = 'cio_server_secret_91c2';

let reg: CargoRegistry;

beforeAll(async () => {
  reg = await startCargoRegistry({ token: TOKEN, seed: true, limits: { maxMetadataBytes: 64 * 1024, maxCrateBytes: 256 * 1024 } });
});
afterAll(async () => {
  await reg?.stop();
});

const api = (path: string, init: RequestInit = {}) => fetch(`${reg.url}${path}`, init);

function newCrate(name: string, vers: string, extra: Record<string, unknown> = {}) {
  const crate = buildCrate(name, vers, [
    { path: 'Cargo.toml', data: Buffer.from(`[package]\nname = "${name}"\nversion = "${vers}"\n`) },
    { path: 'src/lib.rs', data: Buffer.from('') },
  ]);
  const metadata = { name, vers, deps: [{ name: 'leaf', version_req: '^0.1', features: [], optional: false, default_features: true, target: null, kind: 'normal', registry: null, explicit_name_in_toml: null }], features: {}, ...extra };
  return { crate, metadata, body: encodePublishBody(metadata, crate) };
}

/** `authorization: null` sends no Authorization header at all. */
const publish = (body: Buffer, authorization: string | null = TOKEN) =>
  api('/api/v1/crates/new', { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream', ...(authorization === null ? {} : { authorization }) } });

async function errorOf(res: Response): Promise<[number, string]> {
  const body = (await res.json()) as { errors: { detail: string }[] };
  expect(body.errors).toHaveLength(1);
  return [res.status, body.errors[0]!.detail];
}

describe('the sparse index', () => {
  it('serves config.json with the download and API locations', async () => {
    const res = await api('/index/config.json');
    expect(await res.json()).toEqual({ dl: `${reg.url}/api/v1/crates`, api: reg.url });
    expect(reg.indexUrl).toBe(`sparse+${reg.url}/index/`);
  });

  it('serves index files at cargo’s paths, with an ETag that a yank changes', async () => {
    const res = await api('/index/le/af/leaf');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { vers: string; yanked: boolean }).vers)).toEqual(['0.1.0', '0.1.3', '0.1.4', '0.2.0']);
    const etag = res.headers.get('etag')!;
    expect((await api('/index/le/af/leaf', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await api('/index/3/m/mid')).status).toBe(200);

    const unyank = await api('/api/v1/crates/leaf/0.1.4/unyank', { method: 'PUT', headers: { authorization: TOKEN } });
    expect(await unyank.json()).toEqual({ ok: true });
    const after = await api('/index/le/af/leaf', { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('"vers":"0.1.4","deps":[],"cksum"');
    const yank = await api('/api/v1/crates/leaf/0.1.4/yank', { method: 'DELETE', headers: { authorization: TOKEN } });
    expect([yank.status, await yank.json()]).toEqual([200, { ok: true }]);
    expect((await api('/index/le/af/leaf', { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('answers 404 for crates it does not have and paths cargo would not form', async () => {
    for (const path of ['/index/no/ne/nonesuch', '/index/le/af/Leaf', '/index/xx/af/leaf', '/index/leaf']) {
      const [status, detail] = await errorOf(await api(path));
      expect(status, path).toBe(404);
      expect(detail).toMatch(/^no crate at index path/);
    }
  });
});

describe('the web API', () => {
  it('publishes what cargo sends, refuses the same version again, and serves the bytes', async () => {
    const { crate, body } = newCrate('direct_put', '1.0.0');
    const res = await publish(body);
    expect([res.status, await res.json()]).toEqual([200, { warnings: { invalid_categories: [], invalid_badges: [], other: [] } }]);
    expect(JSON.parse((await (await api('/index/di/re/direct_put')).text()).trim())).toMatchObject({ name: 'direct_put', vers: '1.0.0', cksum: sha256Hex(crate), deps: [{ name: 'leaf', req: '^0.1', registry: null, package: null }], yanked: false });

    expect(await errorOf(await publish(body))).toEqual([400, expect.stringMatching(/^crate version `1\.0\.0` is already uploaded/)]);
    expect(await errorOf(await publish(newCrate('Direct-Put', '2.0.0').body))).toEqual([400, 'crate was previously named `direct_put`']);

    const download = await api('/api/v1/crates/direct_put/1.0.0/download');
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(crate)).toBe(true);
    expect(await errorOf(await api('/api/v1/crates/direct_put/9.0.0/download'))).toEqual([404, 'crate `direct_put` does not have a version `9.0.0`']);
  });

  it('refuses malformed uploads with cargo’s error shape and the reason', async () => {
    const good = newCrate('shaped', '0.1.0');
    const absurd = Buffer.alloc(8);
    absurd.writeUInt32LE(0xfffffff0, 0);
    expect(await errorOf(await publish(absurd))).toEqual([400, expect.stringMatching(/metadata length 4294967280 exceeds the limit of 65536 bytes/)]);
    expect(await errorOf(await publish(good.body.subarray(0, good.body.length - 3)))).toEqual([400, expect.stringMatching(/lengths say/)]);
    expect(await errorOf(await publish(encodePublishBody({ ...good.metadata, vers: '0.1' }, good.crate)))).toEqual([400, expect.stringMatching(/`vers` `0\.1` is not a semantic version/)]);
    expect(await errorOf(await publish(encodePublishBody({ ...good.metadata, vers: '0.2.0' }, good.crate)))).toEqual([400, expect.stringMatching(/is outside shaped-0\.2\.0\//)]);
    expect(await errorOf(await publish(encodePublishBody(good.metadata, Buffer.from('not a crate'))))).toEqual([400, expect.stringMatching(/it is not gzip data/)]);
    expect(reg.state.snapshot().some((c) => c.name === 'shaped')).toBe(false);
  });

  it('refuses an upload larger than its limits before reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${reg.url}/api/v1/crates/new`, { method: 'PUT', headers: { authorization: TOKEN, 'content-length': String(4 * 1024 ** 3) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(Buffer.alloc(1024));
    });
    expect(status).toBe(413);
  });

  it('needs the token for publish, yank and unyank: missing or wrong is 403, never echoed', async () => {
    const { body } = newCrate('guarded', '0.1.0');
    expect(await errorOf(await publish(body, null))).toEqual([403, expect.stringMatching(/requires authentication/)]);
    expect(await errorOf(await publish(body, `${TOKEN}x`))).toEqual([403, 'the token in the Authorization header is not valid for this registry']);
    expect(await errorOf(await api('/api/v1/crates/leaf/0.1.0/yank', { method: 'DELETE', headers: { authorization: 'wrong' } }))).toEqual([403, expect.any(String)]);
    expect(await errorOf(await api('/api/v1/crates/leaf/0.1.4/unyank', { method: 'PUT' }))).toEqual([403, expect.any(String)]);
    expect(reg.state.snapshot().find((c) => c.name === 'leaf')!.versions.map((v) => v.yanked)).toEqual([false, false, true, false]);
    expect(await errorOf(await api('/api/v1/crates/leaf/7.0.0/yank', { method: 'DELETE', headers: { authorization: TOKEN } }))).toEqual([404, 'crate `leaf` does not have a version `7.0.0`']);
    expect(reg.state.snapshot().some((c) => c.name === 'guarded')).toBe(false);
    const log = JSON.stringify(await (await api('/_log')).json());
    expect(log).toContain('"status":403');
    expect(log).not.toContain(TOKEN);
  });

  it('lists a crate’s versions, yanked ones included, for finding the highest used version', async () => {
    const res = await api('/api/v1/crates/leaf');
    const info = (await res.json()) as { crate: { max_version: string; newest_version: string }; versions: { num: string; yanked: boolean; checksum: string }[] };
    expect(info.crate).toMatchObject({ max_version: '0.2.0', newest_version: '0.2.0' });
    expect(info.versions.map((v) => [v.num, v.yanked])).toEqual([
      ['0.2.0', false],
      ['0.1.4', true],
      ['0.1.3', false],
      ['0.1.0', false],
    ]);
    expect(info.versions[2]!.checksum).toBe(reg.seeded.find((s) => s.version === '0.1.3')!.cksum);
    expect(await errorOf(await api('/api/v1/crates/nonesuch'))).toEqual([404, 'crate `nonesuch` does not exist']);
    expect(await (await api('/api/v1/crates?q=lea&per_page=5')).json()).toMatchObject({ crates: [{ name: 'leaf', max_version: '0.2.0' }], meta: { total: 1 } });
    expect(await errorOf(await api('/api/v1/owners', { method: 'POST' }))).toEqual([404, 'no such endpoint: POST /api/v1/owners']);
    expect(await errorOf(await api('/api/v1/crates/%E0%A4%A'))).toEqual([400, 'malformed percent-encoding in the path: %E0%A4%A']);
    expect(await errorOf(await api('/api/v1/crates/leaf/0.1.0%2Bbuild/download'))).toEqual([404, 'crate `leaf` does not have a version `0.1.0+build`']);
  });
});

describe('configuration', () => {
  it('gives cargo a fragment replacing crates.io and naming the registry for publishing', () => {
    expect(reg.cargoConfig()).toBe(
      `[source.crates-io]\nreplace-with = "bllvm-local"\n\n[source.bllvm-local]\nregistry = "${reg.indexUrl}"\n\n[registries.bllvm-local]\nindex = "${reg.indexUrl}"\n`,
    );
  });

  it('without a token accepts any token but still needs one; refuses a bad registry name', async () => {
    const open = await startCargoRegistry({ registryName: 'open_reg' });
    try {
      const { body } = newCrate('anyone', '0.1.0');
      expect((await fetch(`${open.url}/api/v1/crates/new`, { method: 'PUT', body })).status).toBe(403);
      expect((await fetch(`${open.url}/api/v1/crates/new`, { method: 'PUT', body, headers: { authorization: 'whatever' } })).status).toBe(200);
      expect(open.cargoConfig()).toContain('[registries.open_reg]');
    } finally {
      await open.stop();
    }
    await expect(startCargoRegistry({ registryName: 'bad name' })).rejects.toThrow(/registry name "bad name"/);
    await expect(startCargoRegistry({ token: '' })).rejects.toThrow(/must not be empty/);
  });
});
