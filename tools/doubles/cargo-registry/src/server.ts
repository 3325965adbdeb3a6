/**
 * The HTTP side: cargo's sparse index under `/index/` and the registry web API under `/api/v1/`.
 * Reads (index, downloads, crate info) need no token; publish, yank and unyank need
 * `Authorization: <token>` exactly as cargo sends it. Every refusal uses cargo's error shape,
 * so cargo shows its detail to the user. Binds 127.0.0.1 only.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { checkCrateArchive } from './crate-archive';
import { errorBody, RegistryError } from './errors';
import { drain, readBody, send, type Reply } from './http';
import { isMutating, RequestLog, type LoggedRequest, type Operation } from './log';
import { validatePublishMetadata } from './metadata';
import { crateForIndexPath } from './names';
import { DEFAULT_PUBLISH_LIMITS, maxPublishBody, parsePublishBody, type PublishLimits } from './publish-body';
import { loadSeedCrates, seedState, type SeedCrate } from './seed';
import { RegistryState } from './state';

export const DEFAULT_REGISTRY_NAME = 'bllvm-local';

export interface CargoRegistryOptions {
  /**
   * The token publish, yank and unyank must carry. Without one the registry is open: any
   * non-empty token is accepted (cargo always sends one).
   */
  token?: string;
  /** true: publish the seed crates of `crates/` first; or the seeds to publish. */
  seed?: boolean | readonly SeedCrate[];
  /** 0 (the default) picks a free port. The server only ever binds 127.0.0.1. */
  port?: number;
  /** The name cargoConfig() gives the registry and its source, used as `--registry <name>`. */
  registryName?: string;
  limits?: Partial<PublishLimits>;
  /** Receives loud lines (handler crashes). Defaults to stderr. */
  logger?: (line: string) => void;
}

export interface CargoRegistry {
  /** e.g. http://127.0.0.1:41234 — the web API's base (`api` in config.json). */
  url: string;
  /** e.g. sparse+http://127.0.0.1:41234/index/ — what cargo's config names. */
  indexUrl: string;
  registryName: string;
  /**
   * A config.toml fragment: crates.io replaced by this registry (so plain `dep = "0.1"` resolves
   * here), and the same index as registry `registryName` for `cargo publish --registry`.
   * Holds no token: pass `--token` or CARGO_REGISTRIES_<NAME>_TOKEN.
   */
  cargoConfig(): string;
  /** The seed crates published at start (empty without `seed`). */
  seeded: readonly SeedCrate[];
  state: RegistryState;
  log(): LoggedRequest[];
  clearLog(): void;
  stop(): Promise<void>;
}

const CRATE_ACTION = /^\/api\/v1\/crates\/([^/]+)\/([^/]+)\/(download|yank|unyank)$/;
const CRATE = /^\/api\/v1\/crates\/([^/]+)$/;
const INDEX = '/index/';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

const refuse = (status: number, detail: string): Reply => ({ status, body: errorBody(detail) });

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new RegistryError(400, `malformed percent-encoding in the path: ${part}`);
  }
}

/** The registry name cargo accepts in `[registries.<name>]` and in env var names. */
function checkRegistryName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) throw new Error(`cargo-registry: registry name ${JSON.stringify(name)} must be letters, digits, - and _, starting with a letter`);
  return name;
}

export async function startCargoRegistry(opts: CargoRegistryOptions = {}): Promise<CargoRegistry> {
  const loud = opts.logger ?? ((line: string) => process.stderr.write(`${line}\n`));
  const registryName = checkRegistryName(opts.registryName ?? DEFAULT_REGISTRY_NAME);
  const limits: PublishLimits = { ...DEFAULT_PUBLISH_LIMITS, ...opts.limits };
  const maxBody = maxPublishBody(limits);
  const expected = opts.token !== undefined ? digest(opts.token) : undefined;
  if (opts.token === '') throw new Error('cargo-registry: the token must not be empty');
  const seeds = opts.seed === true ? await loadSeedCrates() : opts.seed ? [...opts.seed] : [];
  const log = new RequestLog();
  let base = '';
  let state = new RegistryState();

  const server = createServer((req, res) => {
    pipeline(req, res).catch((error: unknown) => {
      loud(`cargo-registry: BUG: unhandled error for ${req.method} ${req.url}: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) send(res, refuse(500, 'cargo-registry internal error'));
    });
  });
  server.on('clientError', (_error, socket: Socket) => socket.destroy());

  async function pipeline(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    const url = new URL(target, base);
    const path = url.pathname;
    req.on('error', () => undefined);
    res.on('error', () => undefined);

    if (path === '/_log') {
      await drain(req);
      if (method === 'DELETE') log.clear();
      return send(res, method === 'GET' || method === 'DELETE' ? { status: 200, body: { requests: log.requests() } } : refuse(405, 'GET or DELETE'));
    }
    if (path === '/_state') {
      await drain(req);
      return send(res, { status: 200, body: { crates: state.snapshot() } });
    }

    const entry: LoggedRequest = { seq: log.nextSeq(), at: new Date().toISOString(), method, path: target, operation: null, status: 0, mutating: isMutating(method), durationMs: 0 };
    let reply: Reply;
    try {
      reply = await route(req, method, url, entry);
    } catch (error) {
      await drain(req);
      if (error instanceof RegistryError) reply = refuse(error.status, error.detail);
      else {
        loud(`cargo-registry: BUG: ${method} ${target} failed: ${error instanceof Error ? error.stack : String(error)}`);
        reply = refuse(500, 'cargo-registry internal error');
      }
    }
    send(res, reply, method === 'HEAD');
    entry.status = reply.status;
    const detail = (reply.body as { errors?: { detail: string }[] } | undefined)?.errors?.[0]?.detail;
    if (detail !== undefined) entry.error = detail;
    entry.durationMs = Date.now() - started;
    log.record(entry);
  }

  async function route(req: IncomingMessage, method: string, url: URL, entry: LoggedRequest): Promise<Reply> {
    const path = url.pathname;
    const read = method === 'GET' || method === 'HEAD';
    const as = (operation: Operation) => {
      entry.operation = operation;
    };

    if (path.startsWith(INDEX) && read) {
      await drain(req);
      const file = path.slice(INDEX.length);
      if (file === 'config.json') {
        as('config');
        return { status: 200, body: { dl: `${base}/api/v1/crates`, api: base } };
      }
      as('index');
      const name = crateForIndexPath(file);
      const text = name === null ? undefined : state.indexFile(name);
      if (text === undefined) return refuse(404, `no crate at index path \`${file}\``);
      // Cargo revalidates its cached index files with If-None-Match; a yank must change the tag.
      const etag = `"${createHash('sha256').update(text).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
      return { status: 200, raw: Buffer.from(text), headers: { 'content-type': 'text/plain; charset=utf-8', etag } };
    }

    const action = CRATE_ACTION.exec(path);
    if (action) {
      const [name, vers] = [decodePart(action[1]!), decodePart(action[2]!)];
      const kind = action[3] as 'download' | 'yank' | 'unyank';
      const wantMethod = kind === 'download' ? 'GET' : kind === 'yank' ? 'DELETE' : 'PUT';
      if (method !== wantMethod && !(kind === 'download' && method === 'HEAD')) return notFound(req, method, path);
      as(kind);
      if (kind === 'download') {
        await drain(req);
        const bytes = state.download(name, vers);
        return { status: 200, raw: bytes, headers: { 'content-type': 'application/gzip', 'content-disposition': `attachment; filename="${name}-${vers}.crate"` } };
      }
      const denied = authenticate(req.headers.authorization);
      await drain(req);
      if (denied) return denied;
      state.setYanked(name, vers, kind === 'yank');
      return { status: 200, body: { ok: true } };
    }

    if (path === '/api/v1/crates/new' && method === 'PUT') {
      as('publish');
      return publish(req);
    }

    if (path === '/api/v1/crates' && read) {
      as('search');
      await drain(req);
      const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? 10) || 10, 1), 100);
      return { status: 200, body: state.search(url.searchParams.get('q') ?? '', perPage) };
    }

    const crate = CRATE.exec(path);
    if (crate && read) {
      as('crate-info');
      await drain(req);
      return { status: 200, body: state.info(decodePart(crate[1]!)) };
    }

    return notFound(req, method, path);
  }

  async function notFound(req: IncomingMessage, method: string, path: string): Promise<Reply> {
    await drain(req);
    return refuse(404, `no such endpoint: ${method} ${path}`);
  }

  async function publish(req: IncomingMessage): Promise<Reply> {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBody) {
      // Refused unread: the connection closes rather than swallowing an absurd upload.
      return { ...refuse(413, `the upload is ${declared} bytes; this registry accepts at most ${maxBody}`), headers: { connection: 'close' } };
    }
    const denied = authenticate(req.headers.authorization);
    if (denied) {
      await drain(req);
      return denied;
    }
    const raw = await readBody(req, maxBody);
    if (raw === null) return refuse(413, `the upload is larger than ${maxBody} bytes`);
    const body = parsePublishBody(raw, limits);
    const metadata = validatePublishMetadata(body.json);
    checkCrateArchive(body.crate, metadata.name, metadata.vers);
    state.publish(metadata, body.crate);
    return { status: 200, body: { warnings: { invalid_categories: [], invalid_badges: [], other: [] } } };
  }

  /** Null when the request may proceed. The token is compared by digest and never echoed or logged. */
  function authenticate(header: string | undefined): Reply | null {
    const presented = header?.trim();
    if (!presented) return refuse(403, 'this action requires authentication: send the registry token in the Authorization header');
    if (expected && !timingSafeEqual(digest(presented), expected)) return refuse(403, 'the token in the Authorization header is not valid for this registry');
    return null;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const indexUrl = `sparse+${base}${INDEX}`;
  state = new RegistryState([indexUrl]);
  seedState(state, seeds);

  return {
    url: base,
    indexUrl,
    registryName,
    seeded: seeds,
    state,
    cargoConfig: () => cargoConfigFragment(registryName, indexUrl),
    log: () => log.requests(),
    clearLog: () => log.clear(),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The config.toml fragment that points cargo at a registry for both resolving and publishing. */
export function cargoConfigFragment(registryName: string, indexUrl: string): string {
  const name = checkRegistryName(registryName);
  return [
    '[source.crates-io]',
    `replace-with = ${JSON.stringify(name)}`,
    '',
    `[source.${name}]`,
    `registry = ${JSON.stringify(indexUrl)}`,
    '',
    `[registries.${name}]`,
    `index = ${JSON.stringify(indexUrl)}`,
    '',
  ].join('\n');
}
