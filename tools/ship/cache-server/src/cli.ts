import { parseArgs } from 'node:util';
import { OrchestratorError } from '@bllvm/manifest';
import { UsageError, parseBytes, parseCount, parseListen, parseSeconds } from './args';
import { DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_STORE_BYTES, startCacheServer } from './server';
import { resolveTimeouts } from './timeouts';
import { hashToken } from './tokens';

export const USAGE = `usage: cache-server --store DIR --tokens FILE [--listen HOST:PORT] [--max-entry-bytes SIZE]
                    [--max-store-bytes SIZE] [--max-connections N] [--max-unauthenticated N] [--key FILE]
                    [--idle-timeout SECONDS] [--first-byte-timeout SECONDS] [--header-timeout SECONDS]
                    [--request-timeout SECONDS]
       cache-server hash-token [--access read|write] < token

The shared Nx remote cache (Nx's self-hosted cache protocol, /v1/cache/{hash}). Runners set
NX_SELF_HOSTED_REMOTE_CACHE_SERVER to its URL and NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN to a
read token (pull requests) or a write token (the protected branch only).

  --store DIR            where entries live (made if missing)
  --tokens FILE          lines "read <sha256>" / "write <sha256>" ("#" comments); re-read on SIGHUP
  --listen HOST:PORT     default 127.0.0.1:8090
  --max-entry-bytes SIZE largest entry accepted (413 above it); default 512M
  --max-store-bytes SIZE bound of the store; least recently used entries are evicted; default 20G
  --max-connections N    connections with a valid token at once (default 128; more are answered
                         503); uploads in flight take at most N x max-entry-bytes of disk besides
                         the store
  --max-unauthenticated N
                         connections that have not shown a valid token yet, at once (default 64);
                         a new one closes the oldest, so they never keep a runner out. Keep it
                         above the runners' largest burst of new connections
  --key FILE             MAC key proving an entry came through this server; default DIR/server.key
  --idle-timeout SECONDS drop a connection idle this long; default 30
  --first-byte-timeout SECONDS
                         drop a connection without a valid token yet that is silent this long;
                         default 5 (at most the idle and header timeouts)
  --header-timeout SECONDS
                         drop a connection whose request head is not whole this long after it
                         connected (or after a later request's first byte); default 10
  --request-timeout SECONDS
                         drop a request (head and body) not received in full this long after its
                         first byte; default the header timeout plus max-entry-bytes at 1 MiB/s
                         (522 for 512M)

hash-token reads a token on stdin and prints its tokens-file line.`;

/** What `cache-server` (serving) accepts; each is described in USAGE. */
export const SERVE_OPTIONS = {
  store: { type: 'string' },
  tokens: { type: 'string' },
  listen: { type: 'string', default: '127.0.0.1:8090' },
  'max-entry-bytes': { type: 'string' },
  'max-store-bytes': { type: 'string' },
  key: { type: 'string' },
  'max-connections': { type: 'string' },
  'max-unauthenticated': { type: 'string' },
  'idle-timeout': { type: 'string' },
  'first-byte-timeout': { type: 'string' },
  'header-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  stdin: () => Promise<string>;
  /** Resolves when the process is asked to stop; `onReload` is called on each reload request. */
  waitForStop: (onReload: () => void) => Promise<void>;
}

/** One invocation; resolves to the exit code. */
export async function runCacheServerCli(argv: string[], io: CliIo): Promise<number> {
  try {
    if (argv[0] === 'hash-token') return await hashTokenCommand(argv.slice(1), io);
    return await serve(argv, io);
  } catch (e) {
    if (e instanceof OrchestratorError) {
      io.err(e.message);
      return e.exitCode;
    }
    if (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
      io.err(`cache-server: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`cache-server: ${(e as Error).message}`);
    return 1;
  }
}

async function hashTokenCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { access: { type: 'string', default: 'read' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) return io.out(USAGE), 0;
  if (values.access !== 'read' && values.access !== 'write') throw new UsageError('--access is read or write');
  const token = (await io.stdin()).trim();
  if (!token || /\s/.test(token)) throw new UsageError('hash-token reads one token (no spaces) on stdin');
  io.out(`${values.access} ${hashToken(token)}`);
  return 0;
}

async function serve(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: SERVE_OPTIONS, strict: true });
  if (values.help) return io.out(USAGE), 0;
  if (!values.store) throw new UsageError('--store DIR is required');
  if (!values.tokens) throw new UsageError('--tokens FILE is required (make its lines with: cache-server hash-token --access write < token)');
  const { host, port } = parseListen(values.listen);
  const maxEntryBytes = values['max-entry-bytes'] ? parseBytes('--max-entry-bytes', values['max-entry-bytes']) : DEFAULT_MAX_ENTRY_BYTES;
  const timeouts = {
    idleTimeoutMs: parseSeconds('--idle-timeout', values['idle-timeout']),
    firstByteTimeoutMs: parseSeconds('--first-byte-timeout', values['first-byte-timeout']),
    headersTimeoutMs: parseSeconds('--header-timeout', values['header-timeout']),
    requestTimeoutMs: parseSeconds('--request-timeout', values['request-timeout']),
  };
  // Checked here too, so timeouts that contradict each other are a usage error (exit 2).
  const resolved = resolveTimeouts(timeouts, maxEntryBytes);
  if (!resolved.ok) throw new UsageError(resolved.problem);
  const tokensFile = values.tokens;
  const server = await startCacheServer({
    storeDir: values.store,
    tokensFile,
    host,
    port,
    maxEntryBytes,
    maxStoreBytes: values['max-store-bytes'] ? parseBytes('--max-store-bytes', values['max-store-bytes']) : DEFAULT_MAX_STORE_BYTES,
    keyFile: values.key,
    maxConnections: parseCount('--max-connections', values['max-connections']),
    maxUnauthenticated: parseCount('--max-unauthenticated', values['max-unauthenticated']),
    ...timeouts,
    log: io.err,
  });
  io.out(`cache-server listening on ${server.url}`);
  await io.waitForStop(() => {
    server.reloadTokens().then(
      () => io.err(`cache-server: tokens re-read from ${tokensFile}`),
      (e: Error) => io.err(`${e.message}; keeping the previous tokens`),
    );
  });
  await server.stop();
  const s = server.stats();
  const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
  io.err(`cache-server: stopped (${s.hits} hits, ${s.misses} misses, ${s.writes} writes, ${s.evictions} evictions, ${s.quarantined} quarantined; connections dropped before showing a token: ${dropped})`);
  return 0;
}
