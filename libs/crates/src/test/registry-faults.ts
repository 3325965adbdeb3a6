/**
 * A proxy in front of the local cargo registry that misbehaves on request, as real registries and
 * their CDNs do: refuses one crate's uploads, answers 5xx/429 or nothing at all for a while, lists
 * a freshly published version in the index only after a delay. Everything else passes through,
 * and config.json is rewritten so clients send their API calls through the proxy too. 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsePublishBody } from '@bllvm/cargo-registry';

export interface ProxiedRequest {
  at: number;
  method: string;
  path: string;
  status: number;
  /** For uploads: `name@version`. */
  crate?: string;
}

interface FailRule {
  prefix: string;
  left: number;
  status: number;
  headers: Record<string, string>;
  body: (req: IncomingMessage) => string;
  /** Pass the request on first, then answer with the fault: the registry acted, the client never hears it. */
  afterForward: boolean;
}

export interface FaultProxy {
  url: string;
  /** The index to give a client: `sparse+<url>/index/`. */
  indexUrl: string;
  /** Every upload of `crate` is refused with this status and detail until cleared. */
  refusePublish(crate: string, status: number, detail: string): void;
  clearRefusals(): void;
  /** The next `times` requests whose path starts with `prefix` get `status` instead of the registry's answer. */
  failNext(prefix: string, times: number, status: number, opts?: { headers?: Record<string, string>; body?: (req: IncomingMessage) => string; afterForward?: boolean }): void;
  /** The next request whose path starts with `prefix` waits `ms` before it is passed on. */
  stallNext(prefix: string, ms: number): void;
  /** A version uploaded from now on stays out of the index for `ms` after its upload (0: no delay). */
  delayIndex(ms: number): void;
  /** Lists every version held back so far, now. */
  releaseIndex(): void;
  requests(): ProxiedRequest[];
  uploads(): string[];
  stop(): Promise<void>;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const refusals = new Map<string, { status: number; detail: string }>();
  const failures: FailRule[] = [];
  const stalls: { prefix: string; ms: number }[] = [];
  const hiddenUntil = new Map<string, number>();
  const log: ProxiedRequest[] = [];
  let delay = 0;
  let base = '';

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`fault proxy: ${(error as Error).message}`);
    });
  });

  function reply(res: ServerResponse, entry: ProxiedRequest, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
    entry.status = status;
    log.push(entry);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const body = await readAll(req);
    const entry: ProxiedRequest = { at: Date.now(), method, path, status: 0 };

    const stall = stalls.findIndex((s) => path.startsWith(s.prefix));
    if (stall >= 0) {
      const { ms } = stalls.splice(stall, 1)[0]!;
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (res.destroyed) return;
    }
    const rule = failures.find((f) => f.left > 0 && path.startsWith(f.prefix));
    if (rule) rule.left--;
    if (rule && !rule.afterForward) return reply(res, entry, rule.status, rule.body(req), rule.headers);

    let published: string | undefined;
    if (method === 'PUT' && path === '/api/v1/crates/new') {
      const meta = parsePublishBody(body).json as { name: string; vers: string };
      published = `${meta.name}@${meta.vers}`;
      entry.crate = published;
      const refusal = refusals.get(meta.name);
      if (refusal) return reply(res, entry, refusal.status, JSON.stringify({ errors: [{ detail: refusal.detail }] }));
    }

    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept', 'user-agent']) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    const answer = await fetch(`${upstream}${path}`, { method, headers, ...(body.length ? { body } : {}) });
    let out = Buffer.from(await answer.arrayBuffer());
    let status = answer.status;
    if (path === '/index/config.json' && status === 200) {
      out = Buffer.from(JSON.stringify({ dl: `${base}/api/v1/crates`, api: base }));
    } else if (path.startsWith('/index/') && status === 200) {
      const now = Date.now();
      const lines = out
        .toString('utf8')
        .split('\n')
        .filter((l) => {
          if (!l.trim()) return false;
          const { name, vers } = JSON.parse(l) as { name: string; vers: string };
          return (hiddenUntil.get(`${name}@${vers}`) ?? 0) <= now;
        });
      if (lines.length === 0) [status, out] = [404, Buffer.from('{"errors":[{"detail":"not found"}]}')];
      else out = Buffer.from(lines.map((l) => `${l}\n`).join(''));
    }
    if (published && status === 200 && delay > 0) hiddenUntil.set(published, Date.now() + delay);
    if (rule) return reply(res, entry, rule.status, rule.body(req), rule.headers);
    return reply(res, entry, status, out, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    indexUrl: `sparse+${base}/index/`,
    refusePublish: (crate, status, detail) => refusals.set(crate, { status, detail }),
    clearRefusals: () => refusals.clear(),
    failNext: (prefix, times, status, opts = {}) =>
      failures.push({
        prefix,
        left: times,
        status,
        headers: opts.headers ?? {},
        body: opts.body ?? (() => JSON.stringify({ errors: [{ detail: `injected ${status}` }] })),
        afterForward: opts.afterForward ?? false,
      }),
    stallNext: (prefix, ms) => stalls.push({ prefix, ms }),
    delayIndex: (ms) => {
      delay = ms;
    },
    releaseIndex: () => hiddenUntil.clear(),
    requests: () => [...log],
    uploads: () => log.filter((r) => r.crate !== undefined && r.status === 200).map((r) => r.crate!),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
