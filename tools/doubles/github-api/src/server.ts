/**
 * The HTTP side: one pipeline every request goes through, in GitHub's order —
 * authenticate, route by the description, apply any injected fault, validate the request,
 * handle it, then validate our own response before it leaves (a mismatch is our bug: 500, loudly).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { control } from './control';
import { FaultSet, faultReply, type Fault } from './faults';
import { drain, readBody, send } from './http';
import { handlers, type Reply } from './handlers';
import { isMutating, RequestLog, type LoggedRequest, type ValidationFailure } from './log';
import type { OperationId } from './openapi/served';
import { loadValidator } from './openapi/validator';
import { errorBody } from './render';
import { type AssetRecord, GitHubState } from './state';

export interface GitHubApiOptions {
  /** 0 (the default) picks a free port. The server only ever binds 127.0.0.1. */
  port?: number;
  /** When set, every API request must carry `Authorization: token <it>` or `Bearer <it>`. */
  token?: string;
  /**
   * Also accepted, for reads only: every write with it is GitHub's 403 "Resource not accessible by
   * integration", as for the read-only GITHUB_TOKEN a fork's pull request runs with.
   */
  readOnlyToken?: string;
  /** Where GitHub's description is cached; see ensureOpenApiDescription. */
  openApiDir?: string;
  /** Receives loud lines (response validation failures, handler crashes). Defaults to stderr. */
  logger?: (line: string) => void;
}

export interface GitHubApi {
  /** e.g. http://127.0.0.1:41234 — use as the client's baseUrl. */
  url: string;
  stop(): Promise<void>;
  log(): LoggedRequest[];
  clearLog(): void;
  /** Responses that failed the description. Tests should assert this stays empty. */
  validationErrors(): ValidationFailure[];
  state: GitHubState;
  injectFault(fault: Fault): void;
  clearFaults(): void;
}

const DOWNLOAD = /^\/([^/]+)\/([^/]+)\/releases\/download\/([^/]+)\/([^/]+)$/;
/** Where an API download redirects: the asset id and a signature, like GitHub's signed storage links. */
const OBJECT = /^\/objects\/(\d+)\/([0-9a-f]{64})$/;
const JSON_BODY_OPERATIONS = new Set<OperationId>([
  'repos/create-release',
  'repos/update-release',
  'git/create-ref',
  'git/update-ref',
  'repos/create-dispatch-event',
  'checks/create',
  'checks/update',
]);

const SERVED = new Set<string>(Object.keys(handlers));
const served = (operationId: string | null): operationId is OperationId => operationId !== null && SERVED.has(operationId);

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export async function startGitHubApi(opts: GitHubApiOptions = {}): Promise<GitHubApi> {
  const validator = await loadValidator(opts.openApiDir);
  const loud = opts.logger ?? ((line: string) => process.stderr.write(`${line}\n`));
  const state = new GitHubState();
  const faults = new FaultSet();
  const log = new RequestLog();
  const expected = opts.token ? digest(opts.token) : undefined;
  const readOnly = opts.readOnlyToken ? digest(opts.readOnlyToken) : undefined;
  let base = '';

  const server = createServer((req, res) => {
    pipeline(req, res).catch((error: unknown) => {
      // Anything escaping the pipeline is a server bug; say so and keep serving.
      loud(`github-api: BUG: unhandled error for ${req.method} ${req.url}: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) send(res, { status: 500, body: errorBody(500, 'github-api internal error') });
    });
  });
  server.on('clientError', (_error, socket: Socket) => socket.destroy());

  async function pipeline(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    const url = new URL(target, base);
    req.on('error', () => undefined);
    res.on('error', () => undefined);

    if (url.pathname.startsWith('/_')) {
      const raw = (await readBody(req)) ?? Buffer.alloc(0);
      return send(res, control(method, url.pathname, raw, { log, faults, state }));
    }

    const entry: LoggedRequest = {
      seq: log.nextSeq(),
      at: new Date().toISOString(),
      method,
      path: target,
      operationId: null,
      status: 0,
      mutating: isMutating(method),
      response: 'unchecked',
      durationMs: 0,
    };
    const finish = (reply: Reply | null, fault?: string): void => {
      if (reply && !fault && served(entry.operationId)) reply = checkResponse(entry, reply);
      if (reply) send(res, reply);
      entry.status = reply?.status ?? 0;
      if (fault) entry.fault = fault;
      entry.durationMs = Date.now() - started;
      log.record(entry);
    };

    const object = method === 'GET' ? OBJECT.exec(url.pathname) : null;
    if (object) {
      entry.operationId = 'download';
      await drain(req);
      return finish(serveObject(Number(object[1]), object[2]!));
    }

    const download = method === 'GET' ? DOWNLOAD.exec(url.pathname) : null;
    if (download) {
      entry.operationId = 'download';
      await drain(req);
      return finish(serveDownload(download.slice(1).map(decodeURIComponent) as [string, string, string, string]));
    }

    const denied = authenticate(req.headers.authorization, method);
    if (denied) {
      await drain(req);
      return finish(denied);
    }

    const matched = validator.match(method, url.pathname);
    if (!matched) {
      await drain(req);
      return finish({ status: 404, body: errorBody(404, 'Not Found') });
    }
    entry.operationId = matched.operationId;

    const fault = faults.take(method, target);
    if (fault?.kind === 'drop-connection') {
      await dropMidBody(req, fault, matched.operationId === 'repos/upload-release-asset' ? matched.params : null, url);
      return finish(null, fault.kind);
    }

    const raw = await readBody(req);
    if (raw === null) return finish({ status: 413, body: errorBody(413, 'Request body too large') });

    if (fault?.kind === 'hang') {
      // No reply, ever: the request ends only when the client gives up (or the server stops).
      entry.fault = fault.kind;
      await new Promise<void>((resolve) => req.socket.once('close', resolve));
      return finish(null, fault.kind);
    }
    if (fault) {
      entry.fault = fault.kind;
      const reply = await faultReply(fault, state);
      if (reply) return finish(reply, fault.kind);
    }

    let json: Record<string, unknown> | undefined;
    if (JSON_BODY_OPERATIONS.has(matched.operationId) && raw.length) {
      try {
        json = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        return finish({ status: 400, body: errorBody(400, 'Problems parsing JSON') });
      }
    }
    const query = Object.fromEntries(url.searchParams);
    const problems = validator.validateRequest(matched.operationId, {
      method,
      path: matched.path,
      query,
      headers: req.headers,
      body: json,
    });
    if (problems.length) {
      // A path parameter of the wrong type (a non-numeric release id) is simply "not found" on GitHub.
      if (problems.some((p) => p.at.startsWith('/path'))) return finish({ status: 404, body: errorBody(404, 'Not Found') });
      const detail = problems.map((p) => `For '${p.at.replace(/^\/(requestBody\/?)?/, '') || 'body'}', ${p.message}.`).join('\n');
      return finish({ status: 422, body: errorBody(422, `Invalid request.\n\n${detail}`) });
    }

    let reply: Reply;
    try {
      reply = handlers[matched.operationId](state, { params: matched.params, query, headers: req.headers, json, raw, base, authenticated: /^(?:token|bearer)\s+\S+/i.test(req.headers.authorization ?? '') });
    } catch (error) {
      loud(`github-api: BUG: handler ${matched.operationId} threw: ${error instanceof Error ? error.stack : String(error)}`);
      return finish({ status: 500, body: errorBody(500, `github-api handler ${matched.operationId} failed`) });
    }

    return finish(reply);
  }

  /**
   * Every reply to a described operation is checked before it leaves, error replies included.
   * A mismatch means this server drifted from GitHub: it becomes a 500 and a loud log line.
   */
  function checkResponse(entry: LoggedRequest, reply: Reply): Reply {
    const operationId = entry.operationId as OperationId;
    const problems = validator.validateResponse(operationId, reply.status, reply.body);
    if (problems === null) {
      entry.response = 'unchecked';
      return reply;
    }
    if (problems.length === 0) {
      entry.response = 'valid';
      return reply;
    }
    entry.response = 'invalid';
    log.recordValidationFailure({ seq: entry.seq, method: entry.method, path: entry.path, operationId, status: reply.status, problems });
    const detail = problems.map((p) => `${p.at} ${p.message}`).join('; ');
    loud(
      `github-api: BUG: ${entry.method} ${entry.path} (${operationId}) answered ${reply.status} with a body that ` +
        `does not match GitHub's OpenAPI description: ${detail}`,
    );
    return { status: 500, body: errorBody(500, `github-api response failed OpenAPI validation: ${detail}`) };
  }

  /** Null when the request may proceed. The token itself is compared by digest and never echoed. */
  function authenticate(header: string | undefined, method: string): Reply | null {
    if (!expected) return null;
    const presented = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (!presented) return { status: 401, body: errorBody(401, 'Requires authentication') };
    const given = digest(presented);
    if (timingSafeEqual(given, expected)) return null;
    if (readOnly && timingSafeEqual(given, readOnly)) {
      return isMutating(method) ? { status: 403, body: errorBody(403, 'Resource not accessible by integration') } : null;
    }
    return { status: 401, body: errorBody(401, 'Bad credentials') };
  }

  /** Reads part of the body, then cuts the connection, as a flaky network or proxy would. */
  function dropMidBody(req: IncomingMessage, fault: Extract<Fault, { kind: 'drop-connection' }>, upload: Record<string, string> | null, url: URL): Promise<void> {
    const declared = Number(req.headers['content-length'] ?? 0);
    const threshold = fault.afterBytes ?? Math.max(Math.floor(declared / 2), 1);
    return new Promise((resolve) => {
      let received = 0;
      let done = false;
      const cut = () => {
        if (done) return;
        done = true;
        if (upload && (fault.leave ?? 'starter') === 'starter') {
          const release = state.getRelease(upload['owner']!, upload['repo']!, Number(upload['release_id']));
          const name = url.searchParams.get('name');
          if (release && name && !state.listAssets(release.id).some((a) => a.name === name)) {
            state.insertAsset(release, { name, label: null, contentType: String(req.headers['content-type'] ?? 'application/octet-stream'), state: 'starter', bytes: Buffer.alloc(0) });
          }
        }
        req.socket.destroy();
        resolve();
      };
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= threshold) cut();
      });
      req.on('end', cut);
      req.on('close', cut);
    });
  }

  /** Public download links work for published releases only (get-by-tag does not see drafts). */
  function serveDownload([owner, repo, tag, name]: [string, string, string, string]): Reply {
    const release = state.getReleaseByTag(owner, repo, tag);
    const asset = release && state.listAssets(release.id).find((a) => a.name === name && a.state === 'uploaded');
    return serveBytes(asset);
  }

  /** A signed link: whoever the API redirected may fetch the bytes, draft or not. */
  function serveObject(id: number, signature: string): Reply {
    const asset = state.objectSignature(id) === signature ? state.listAssetById(id) : undefined;
    return serveBytes(asset?.state === 'uploaded' ? asset : undefined);
  }

  function serveBytes(asset: AssetRecord | undefined): Reply {
    if (!asset) return { status: 404, body: errorBody(404, 'Not Found') };
    asset.downloadCount++;
    return {
      status: 200,
      raw: asset.bytes,
      headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename=${JSON.stringify(asset.name)}` },
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    state,
    log: () => log.requests(),
    clearLog: () => log.clear(),
    validationErrors: () => log.validationErrors(),
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
