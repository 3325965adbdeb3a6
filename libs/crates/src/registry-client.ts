/**
 * A cargo registry over HTTP: its sparse index (read) and web API (publish, yank, unyank), as
 * cargo speaks to crates.io or an alternative registry. The index's `config.json` says where the
 * API is. Every request has a time limit; 5xx, 429 and transport failures are retried with
 * back-off (429 and 503 honour Retry-After up to a bound). Every error names the registry and
 * the operation and never holds the token, which is sent only to the API (and to the index only
 * when `config.json` says `auth-required`).
 */
import { OrchestratorError, redactCredentials } from '@bllvm/manifest';
import { DEFAULT_INDEX_LIMITS, findVersion, indexPath, IndexLineError, parseIndexFile, type IndexEntry, type IndexLimits } from './publish-index-line';
import { encodePublishBody, publishMetadata, type NewCrate } from './publish-metadata';
import { readCrateArchive } from './publish-crate-file';

export interface RegistryClientOptions {
  /** The sparse index: `sparse+https://host/path/` (or the same without `sparse+`). */
  indexUrl: string;
  /** Sent as `Authorization` to the web API, as cargo sends it. Never printed. */
  token?: string;
  /** How errors and reports name the registry. Default: the index URL without credentials. */
  name?: string;
  /** Time limit of one request (default 30 s); an upload gets more, by its size at 256 KiB/s. */
  requestTimeoutMs?: number;
  /** Retries after a 5xx, a 429, a timeout or a transport failure (default 3). */
  retries?: number;
  /** Back-off before retry n is retryBaseMs * 2^(n-1) (default 1000 ms). */
  retryBaseMs?: number;
  /** A Retry-After longer than this is not waited out: the request fails (default 60 s). */
  maxRetryAfterMs?: number;
  limits?: Partial<IndexLimits>;
  /** For tests: the transport and the clock's waiting. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface RegistryConfig {
  /** Where downloads come from (`dl`, possibly a template). */
  dl: string;
  /** The web API's base, or null when the registry has none (it cannot be published to). */
  api: string | null;
  authRequired: boolean;
}

export interface PublishResult {
  /** What the registry warned about (invalid categories or badges, anything else), one line each. */
  warnings: string[];
}

/** What a registry answered, or why it did not: one line naming registry, operation and reason. */
export class RegistryRequestError extends OrchestratorError {
  override readonly name = 'RegistryRequestError';
  constructor(
    readonly registry: string,
    readonly operation: string,
    readonly reason: string,
    /** The HTTP status, when the registry answered. */
    readonly status?: number,
  ) {
    super(`${registry}: ${operation} failed: ${reason}`);
  }
}

const SLOWEST_UPLOAD_BYTES_PER_SECOND = 256 * 1024;
const MAX_ERROR_BODY = 64 * 1024;
const MAX_CONFIG_BYTES = 64 * 1024;
const MAX_API_ANSWER = 1024 * 1024;
const USER_AGENT = 'bllvm-release (crates upload)';

/** An index URL as a person may see it: no `user:password@`, no query. */
function displayUrl(url: string): string {
  try {
    const u = new URL(url.replace(/^sparse\+/, ''));
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return `${url.startsWith('sparse+') ? 'sparse+' : ''}${u.toString()}`;
  } catch {
    return '(an index URL that does not parse)';
  }
}

/** The index root as fetch needs it: http(s), ending in `/`. Throws for anything else. */
function indexBase(indexUrl: string): string {
  const plain = indexUrl.replace(/^sparse\+/, '');
  let u: URL;
  try {
    u = new URL(plain);
  } catch {
    throw new OrchestratorError(`registry index ${displayUrl(indexUrl)} is not a URL`, { exitCode: 2 });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new OrchestratorError(`registry index ${displayUrl(indexUrl)} is not a sparse (http or https) index; git indexes are not supported for uploads`, { exitCode: 2 });
  }
  return plain.endsWith('/') ? plain : `${plain}/`;
}

interface Answer {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** One line of what the registry said: cargo's `errors[].detail`, or the start of a text body. */
function describeBody(body: Buffer, contentType: string | null): string {
  const text = body.subarray(0, MAX_ERROR_BODY).toString('utf8');
  try {
    const json = JSON.parse(text) as { errors?: { detail?: unknown }[] };
    const details = (json.errors ?? []).map((e) => e.detail).filter((d): d is string => typeof d === 'string');
    if (details.length) return details.join('; ').replace(/\s+/g, ' ').slice(0, 500);
  } catch {
    // not JSON: fall through to the text
  }
  if (/html/i.test(contentType ?? '') || /^\s*</.test(text)) return 'an HTML page (a proxy or load balancer answered, not the registry)';
  const line = text.replace(/\s+/g, ' ').trim().slice(0, 300);
  return line || 'no detail';
}

/** Seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function readLimited(response: Response, limit: number): Promise<Buffer | null> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

export class RegistryClient {
  /** How errors and reports name this registry. */
  readonly name: string;
  /** The index URL as given (credentials and all: never print it; print `name`). */
  readonly indexUrl: string;
  private readonly base: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly limits: IndexLimits;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private config: RegistryConfig | undefined;

  constructor(opts: RegistryClientOptions) {
    this.indexUrl = opts.indexUrl;
    this.base = indexBase(opts.indexUrl);
    this.name = opts.name ?? displayUrl(opts.indexUrl);
    this.token = opts.token === '' ? undefined : opts.token;
    this.timeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.retries = opts.retries ?? 3;
    this.retryBaseMs = opts.retryBaseMs ?? 1000;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 60_000;
    this.limits = { ...DEFAULT_INDEX_LIMITS, ...opts.limits };
    this.fetchImpl = opts.fetch ?? fetch;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  private fail(operation: string, reason: string, status?: number): RegistryRequestError {
    return new RegistryRequestError(this.name, operation, redactCredentials(reason, [this.token]), status);
  }

  /**
   * One request with its time limit, retried after 5xx, 429, timeouts and transport failures.
   * Returns any other answer, whatever its status, for the caller to interpret.
   */
  private async request(operation: string, url: string, init: { method: string; headers?: Record<string, string>; body?: Buffer }, maxBytes: number): Promise<Answer> {
    const timeout = this.timeoutMs + Math.ceil(((init.body?.length ?? 0) / SLOWEST_UPLOAD_BYTES_PER_SECOND) * 1000);
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.retries;
      const backOff = this.retryBaseMs * 2 ** attempt;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeout);
      let answer: Answer | undefined;
      let problem: string;
      let wait = backOff;
      try {
        const response = await this.fetchImpl(url, {
          method: init.method,
          headers: { 'user-agent': USER_AGENT, accept: 'application/json', ...init.headers },
          ...(init.body ? { body: init.body } : {}),
          signal: controller.signal,
          redirect: 'follow',
        });
        const body = await readLimited(response, maxBytes);
        if (body === null) throw this.fail(operation, `the answer (HTTP ${response.status}) is larger than the ${maxBytes} bytes read`, response.status);
        answer = { status: response.status, headers: response.headers, body };
        if (response.status !== 429 && response.status < 500) return answer;
        problem = `HTTP ${response.status}: ${describeBody(body, response.headers.get('content-type'))}`;
        const after = response.status === 429 || response.status === 503 ? retryAfterMs(response.headers.get('retry-after')) : undefined;
        if (after !== undefined) {
          if (after > this.maxRetryAfterMs) throw this.fail(operation, `${problem}; the registry asks to wait ${Math.ceil(after / 1000)} s, longer than the ${Math.ceil(this.maxRetryAfterMs / 1000)} s allowed`, response.status);
          wait = after;
        }
      } catch (error) {
        if (error instanceof RegistryRequestError) throw error;
        problem = controller.signal.aborted ? `no answer within ${(timeout / 1000).toFixed(1)} s` : `network error: ${(error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message}`;
      } finally {
        clearTimeout(timer);
      }
      if (last) throw this.fail(operation, `${problem}${this.retries ? ` (after ${this.retries + 1} tries)` : ''}`, answer?.status);
      await this.sleep(wait);
    }
  }

  private authorization(operation: string): Record<string, string> {
    if (this.token === undefined) throw this.fail(operation, 'no registry token is configured; this action needs one');
    return { authorization: this.token };
  }

  /** The index's config.json, read once. */
  async registryConfig(): Promise<RegistryConfig> {
    if (this.config) return this.config;
    const operation = 'reading config.json';
    let answer = await this.request(operation, `${this.base}config.json`, { method: 'GET' }, MAX_CONFIG_BYTES);
    if (answer.status === 401 && this.token !== undefined) answer = await this.request(operation, `${this.base}config.json`, { method: 'GET', headers: { authorization: this.token } }, MAX_CONFIG_BYTES);
    if (answer.status !== 200) throw this.fail(operation, `HTTP ${answer.status}: ${describeBody(answer.body, answer.headers.get('content-type'))}`, answer.status);
    let json: unknown;
    try {
      json = JSON.parse(answer.body.toString('utf8'));
    } catch (error) {
      throw this.fail(operation, `it is not JSON (${(error as Error).message})`);
    }
    const o = (typeof json === 'object' && json !== null && !Array.isArray(json) ? json : {}) as Record<string, unknown>;
    const url = (key: string, required: boolean): string | null => {
      const v = o[key];
      if ((v === undefined || v === null) && !required) return null;
      if (typeof v !== 'string' || !/^https?:\/\//.test(v)) throw this.fail(operation, `\`${key}\` must be an http(s) URL`);
      return v.replace(/\/+$/, '');
    };
    const auth = o['auth-required'] ?? false;
    if (typeof auth !== 'boolean') throw this.fail(operation, '`auth-required` must be a boolean');
    this.config = { dl: url('dl', true)!, api: url('api', false), authRequired: auth };
    return this.config;
  }

  /** Every version of `crate` the index lists, in index order; empty when the crate is unknown. */
  async indexEntries(crate: string): Promise<IndexEntry[]> {
    const config = await this.registryConfig();
    const path = indexPath(crate);
    const operation = `reading the index of ${crate}`;
    const headers: Record<string, string> = { 'cache-control': 'no-cache' };
    if (config.authRequired && this.token !== undefined) headers['authorization'] = this.token;
    const answer = await this.request(operation, `${this.base}${path}`, { method: 'GET', headers }, this.limits.maxBytes);
    if (answer.status === 404 || answer.status === 410 || answer.status === 451) return [];
    if (answer.status !== 200) throw this.fail(operation, `HTTP ${answer.status}: ${describeBody(answer.body, answer.headers.get('content-type'))}`, answer.status);
    try {
      return parseIndexFile(answer.body.toString('utf8'), crate, path, this.limits);
    } catch (error) {
      if (error instanceof IndexLineError) throw this.fail(operation, error.message);
      throw error;
    }
  }

  /** The index entry of `crate` at `version` (build metadata aside), or undefined. */
  async versionEntry(crate: string, version: string): Promise<IndexEntry | undefined> {
    return findVersion(await this.indexEntries(crate), version);
  }

  private async api(operation: string): Promise<string> {
    const { api } = await this.registryConfig();
    if (api === null) throw this.fail(operation, 'its config.json names no web API (`api`), so nothing can be published to it');
    return api;
  }

  /**
   * Uploads a packaged `.crate` with the metadata cargo would send for it (built from the
   * normalized Cargo.toml inside). `where` names the file in errors.
   */
  async publish(crate: Buffer, where: string): Promise<PublishResult> {
    const metadata = publishMetadata(readCrateArchive(crate, where), this.indexUrl, where);
    return this.publishWith(metadata, crate);
  }

  /** Uploads `crate` with the given metadata, as it is. */
  async publishWith(metadata: NewCrate, crate: Buffer): Promise<PublishResult> {
    const operation = `publishing ${metadata.name} ${metadata.vers}`;
    const headers = { ...this.authorization(operation), 'content-type': 'application/octet-stream' };
    const answer = await this.request(operation, `${await this.api(operation)}/api/v1/crates/new`, { method: 'PUT', headers, body: encodePublishBody(metadata, crate) }, MAX_API_ANSWER);
    const json = this.okJson(operation, answer);
    const w = (json as { warnings?: Record<string, unknown> }).warnings ?? {};
    const list = (key: string, label: string) => (Array.isArray(w[key]) ? (w[key] as unknown[]).filter((s): s is string => typeof s === 'string').map((s) => `${label}${s}`) : []);
    return { warnings: [...list('invalid_categories', 'invalid category ignored: '), ...list('invalid_badges', 'invalid badge ignored: '), ...list('other', '')] };
  }

  async yank(crate: string, version: string): Promise<void> {
    await this.setYanked(crate, version, true);
  }

  async unyank(crate: string, version: string): Promise<void> {
    await this.setYanked(crate, version, false);
  }

  private async setYanked(crate: string, version: string, yanked: boolean): Promise<void> {
    const operation = `${yanked ? 'yanking' : 'unyanking'} ${crate} ${version}`;
    const headers = this.authorization(operation);
    const url = `${await this.api(operation)}/api/v1/crates/${encodeURIComponent(crate)}/${encodeURIComponent(version)}/${yanked ? 'yank' : 'unyank'}`;
    const answer = await this.request(operation, url, { method: yanked ? 'DELETE' : 'PUT', headers }, MAX_API_ANSWER);
    this.okJson(operation, answer);
  }

  /** A 2xx answer's JSON; cargo's rule: an `errors` list is a refusal even with 200. */
  private okJson(operation: string, answer: Answer): unknown {
    let json: unknown = {};
    try {
      json = answer.body.length ? JSON.parse(answer.body.toString('utf8')) : {};
    } catch {
      if (answer.status >= 200 && answer.status < 300) throw this.fail(operation, `HTTP ${answer.status} with an answer that is not JSON`, answer.status);
    }
    const errors = (json as { errors?: unknown } | null)?.errors;
    if (answer.status < 200 || answer.status >= 300 || (Array.isArray(errors) && errors.length)) {
      throw this.fail(operation, `HTTP ${answer.status}: ${describeBody(answer.body, answer.headers.get('content-type'))}`, answer.status);
    }
    return json ?? {};
  }
}

/** A client whose config.json has been read, so a wrong index URL fails here, not mid-chain. */
export async function openRegistry(opts: RegistryClientOptions): Promise<RegistryClient> {
  const client = new RegistryClient(opts);
  await client.registryConfig();
  return client;
}
