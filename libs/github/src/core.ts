/**
 * The one place an Octokit is built. Everything that differs between production and the local
 * server is configuration here (base URL, token, delays); the operations above never know which
 * one they are talking to.
 */
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { redactCredentials } from '@bllvm/manifest';
import { wrapError, type GitHubErrorContext } from './errors';

const GitHubOctokit = Octokit.plugin(retry, throttling);
export type GitHubOctokit = InstanceType<typeof GitHubOctokit>;

export interface GitHubClientOptions {
  /** Default https://api.github.com; the orchestrator passes its configured GITHUB_API_URL. */
  baseUrl?: string;
  /** Default none (anonymous); the orchestrator passes its configured GITHUB_TOKEN. Never printed. */
  token?: string;
  /** Send reads, but only record the writes that would be made. */
  dryRun?: boolean;
  /** Progress and "would ..." lines. Default: stderr. */
  log?: (line: string) => void;
  /** Retries of a request that failed with 5xx or a network error (default 3). */
  retries?: number;
  /**
   * Milliseconds per unit of back-off (default 1000). plugin-retry waits (n+1)^2 units before
   * retry n; rate-limit retries wait retry-after (seconds) units. Tests set this small.
   */
  retryBaseMs?: number;
  /** How many times one request may be retried after a primary or secondary rate limit (default 3). */
  rateLimitRetries?: number;
  /** Do not wait out a rate limit longer than this; fail instead (default 900 s). */
  maxRateLimitWaitSeconds?: number;
  /**
   * Minimum spacing between mutating requests, as GitHub asks of integrations to avoid secondary
   * rate limits (default 1000 ms, and 3000 ms for content-creating ones such as new releases;
   * 0 against a loopback server, which has no such limits unless a test injects them).
   */
  writeSpacingMs?: number;
  /**
   * A request that has not completed after this long is abandoned and retried like a network
   * error (default DEFAULT_REQUEST_TIMEOUT_MS). Uploads get more: this plus the time their body
   * takes at 256 KiB/s.
   */
  requestTimeoutMs?: number;
  /** No request starts, and none runs on, after this moment: the whole operation's time limit. */
  deadline?: Date;
}

/** Why a request was abandoned: it ran out of its own time, or the operation's deadline passed. */
export class RequestTimeout extends Error {
  override readonly name = 'RequestTimeout';
  constructor(readonly kind: 'request' | 'deadline', readonly afterMs: number) {
    super(kind === 'deadline' ? `the operation's deadline passed` : `no answer within ${(afterMs / 1000).toFixed(afterMs < 10_000 ? 1 : 0)} s`);
  }
}

/** The slowest upload rate a time limit allows for: an upload's limit grows by its size at this rate. */
export const SLOWEST_UPLOAD_BYTES_PER_SECOND = 256 * 1024;
const UPLOAD_BYTES_PER_SECOND = SLOWEST_UPLOAD_BYTES_PER_SECOND;

/**
 * GitHub ends an API request itself after 10 s ("timeout" in its REST docs), so a request with no
 * answer after 30 s is stuck in something between us and GitHub. With the retries and their
 * back-off this bounds one unanswered request at 134 s (worstCaseRequestMs), where 120 s made it
 * 494 s: the time a publish held the checkout lock against an API that never answered.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 3;
const DEFAULT_RETRY_BASE_MS = 1000;

/**
 * The longest one request can take when it is never answered: every try runs to its time limit
 * (plus the body's time for an upload of `bodyBytes`), with plugin-retry's back-off of
 * (n+1)^2 units before retry n in between. Pure.
 */
export function worstCaseRequestMs(opts: Pick<GitHubClientOptions, 'requestTimeoutMs' | 'retries' | 'retryBaseMs'>, bodyBytes = 0): number {
  const retries = opts.retries ?? DEFAULT_RETRIES;
  const perTry = (opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) + Math.ceil((bodyBytes / UPLOAD_BYTES_PER_SECOND) * 1000);
  let backOff = 0;
  for (let n = 1; n <= retries; n++) backOff += n * n * (opts.retryBaseMs ?? DEFAULT_RETRY_BASE_MS);
  return (retries + 1) * perTry + backOff;
}

/** fetch with a time limit per call (retries get a fresh one) and the deadline of the whole operation. */
export function timedFetch(timeoutMs: number, deadline: Date | undefined, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const size = init?.body instanceof Uint8Array ? init.body.byteLength : typeof init?.body === 'string' ? init.body.length : 0;
    let ms = timeoutMs + Math.ceil((size / UPLOAD_BYTES_PER_SECOND) * 1000);
    let kind: RequestTimeout['kind'] = 'request';
    if (deadline) {
      const left = deadline.getTime() - Date.now();
      if (left <= 0) throw new RequestTimeout('deadline', 0);
      if (left < ms) [ms, kind] = [left, 'deadline'];
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new RequestTimeout(kind, ms)), ms);
    const outer = init?.signal;
    const onOuter = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', onOuter, { once: true });
    try {
      const response = await base(input, { ...init, signal: controller.signal });
      // The body is read by Octokit after this returns; a server that sends headers and then
      // stalls is still cut off, because the same signal governs the body stream.
      const body = await response.arrayBuffer();
      return new Response(body.byteLength ? body : null, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      throw controller.signal.aborted && controller.signal.reason instanceof RequestTimeout ? controller.signal.reason : error;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    }
  };
}

export interface PlannedWrite {
  method: string;
  route: string;
  description: string;
}

export interface ClientCore {
  readonly octokit: GitHubOctokit;
  readonly baseUrl: string;
  readonly dryRun: boolean;
  readonly plannedWrites: PlannedWrite[];
  log(line: string): void;
  /** Runs a read; errors become GitHubApiError. */
  read<T>(context: GitHubErrorContext, send: () => Promise<T>): Promise<T>;
  /** Runs a write, or in a dry run records it and returns undefined without sending anything. */
  write<T>(context: GitHubErrorContext, plan: Omit<PlannedWrite, 'description'> & { description: string }, send: () => Promise<T>): Promise<T | undefined>;
  /** Points GitHub's upload_url at the configured host when that is not api.github.com. */
  uploadUrl(upstream: string): string;
  /** For error messages that are built here rather than from an Octokit error. */
  secrets: (string | undefined)[];
}

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname);
}

/**
 * plugin-throttling keeps its write limiters in module-level singletons created by the first client
 * in the process (1 s apart, 3 s for notification-triggering writes), so they cannot be tuned per
 * client. It accepts replacements with Bottleneck's `key().schedule()` shape; this is that shape,
 * serialising callers and spacing them `spacingMs` apart.
 */
class WritePacer {
  private last = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly spacingMs: number) {}

  key(): this {
    return this;
  }

  schedule<T>(...args: unknown[]): Promise<T> {
    // Called as schedule(fn, ...args) or schedule(jobOptions, fn, ...args).
    const fnIndex = typeof args[0] === 'function' ? 0 : 1;
    const fn = args[fnIndex] as (...a: unknown[]) => Promise<T>;
    const rest = args.slice(fnIndex + 1);
    const run = async () => {
      const wait = this.last + this.spacingMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.last = Date.now();
      return fn(...rest);
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

export function createCore(opts: GitHubClientOptions = {}): ClientCore {
  // The caller passes the configured URL and token (readConfig in @bllvm/contract): no environment is read here.
  const baseUrl = (opts.baseUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const token = opts.token || undefined;
  const secrets = [token || undefined];
  // Octokit's warnings can quote a request, headers included: the token goes in any encoding.
  const scrub = (line: string) => redactCredentials(line, secrets);
  const sink = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log = (line: string) => sink(scrub(line));
  const base = new URL(baseUrl);
  const retryBaseMs = opts.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
  const rateLimitRetries = opts.rateLimitRetries ?? 3;
  const maxWait = opts.maxRateLimitWaitSeconds ?? 900;
  const spacing = opts.writeSpacingMs ?? (isLoopback(base) ? 0 : 1000);

  const onLimit = (kind: string) => (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number) => {
    const what = `${options.method ?? ''} ${options.url ?? ''}`.trim();
    if (retryCount >= rateLimitRetries || retryAfter > maxWait) {
      log(`github: ${kind} rate limit on ${what}; giving up after ${retryCount} retries (retry-after ${retryAfter}s)`);
      return false;
    }
    log(`github: ${kind} rate limit on ${what}; retry ${retryCount + 1}/${rateLimitRetries} after ${retryAfter}s`);
    return true;
  };

  const octokit = new GitHubOctokit({
    baseUrl,
    request: { fetch: timedFetch(opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, opts.deadline) },
    ...(token ? { auth: token } : {}),
    userAgent: 'bllvm-release',
    log: { debug: () => undefined, info: () => undefined, warn: (m: string) => log(`github: ${m}`), error: (m: string) => log(`github: ${m}`) },
    retry: {
      retries: opts.retries ?? DEFAULT_RETRIES,
      retryAfterBaseValue: retryBaseMs,
      // 429 is left to the throttling plugin (otherwise both plugins retry it); 409 is a conflict
      // that repeating cannot fix. Everything else >= 400 not listed here (5xx) is retried.
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
    },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      retryAfterBaseValue: retryBaseMs,
      fallbackSecondaryRateRetryAfter: 60,
      write: new WritePacer(spacing) as never,
      notifications: new WritePacer(opts.writeSpacingMs ?? (isLoopback(base) ? 0 : 3000)) as never,
    },
  });

  if (opts.deadline) {
    const deadline = opts.deadline.getTime();
    const configured = opts.retries ?? DEFAULT_RETRIES;
    // plugin-retry reads `request.retries` when an attempt fails: once the deadline has passed,
    // every further attempt fails at once, so waiting out the back-off for it only delays the answer.
    octokit.hook.before('request', (options) => {
      const request = options.request as { retries?: number };
      const own = Object.getOwnPropertyDescriptor(request, 'retries');
      const allowed = own && !own.get ? (own.value as number | undefined) ?? configured : configured;
      Object.defineProperty(request, 'retries', { configurable: true, enumerable: true, get: () => (Date.now() >= deadline ? 0 : allowed) });
    });
  }

  const plannedWrites: PlannedWrite[] = [];
  const dryRun = opts.dryRun ?? false;
  if (dryRun) {
    // Belt and braces: core.write never sends in a dry run, and this stops anything that reaches
    // the Octokit by another road (client.octokit used directly) from writing either.
    octokit.hook.wrap('request', (request, options) => {
      const method = String(options.method).toUpperCase();
      if (method !== 'GET' && method !== 'HEAD') {
        throw new Error(`dry run: refusing to send ${method} ${String(options.url)}; writes must go through the client's operations`);
      }
      return request(options);
    });
  }

  return {
    octokit,
    baseUrl,
    dryRun,
    plannedWrites,
    secrets,
    log,
    async read(context, send) {
      try {
        return await send();
      } catch (error) {
        throw wrapError(error, context, secrets);
      }
    },
    async write(context, plan, send) {
      if (dryRun) {
        plannedWrites.push({ ...plan });
        log(`would ${plan.description} (${plan.method} ${plan.route})`);
        return undefined;
      }
      try {
        return await send();
      } catch (error) {
        throw wrapError(error, context, secrets);
      }
    },
    uploadUrl(upstream) {
      if (base.hostname === 'api.github.com') return upstream;
      return upstream.replace(/^https?:\/\/[^/]+/, base.origin);
    },
  };
}
