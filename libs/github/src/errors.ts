import { OrchestratorError, redactCredentials } from '@bllvm/manifest';

/**
 * One error type for everything that goes wrong talking to GitHub, with a message a person can act
 * on (which operation, which repo, which tag or asset, what GitHub said) and nothing secret in it.
 */

export interface GitHubErrorContext {
  operation: string;
  owner: string;
  repo: string;
  tag?: string;
  asset?: string;
}

export class GitHubApiError extends OrchestratorError {
  override readonly name = 'GitHubApiError';
  readonly operation: string;
  readonly owner: string;
  readonly repo: string;
  readonly tag?: string;
  readonly asset?: string;
  /** HTTP status, when GitHub answered at all. */
  readonly status?: number;
  /** GitHub's own `message`, plus any validation error codes. */
  readonly githubMessage?: string;
  /** Our own reason when the request never went out (e.g. `asset_conflict`). */
  readonly code?: string;

  constructor(context: GitHubErrorContext, detail: { status?: number; githubMessage?: string; code?: string; reason: string }) {
    super(`${describe(context)} failed: ${detail.reason}`);
    this.operation = context.operation;
    this.owner = context.owner;
    this.repo = context.repo;
    if (context.tag !== undefined) this.tag = context.tag;
    if (context.asset !== undefined) this.asset = context.asset;
    if (detail.status !== undefined) this.status = detail.status;
    if (detail.githubMessage !== undefined) this.githubMessage = detail.githubMessage;
    if (detail.code !== undefined) this.code = detail.code;
  }
}

export function describe(context: GitHubErrorContext): string {
  let text = `${context.operation} ${context.owner}/${context.repo}`;
  if (context.tag) text += ` tag ${context.tag}`;
  if (context.asset) text += ` asset ${context.asset}`;
  return text;
}

interface OctokitLikeError {
  status?: number;
  message?: string;
  response?: { data?: unknown };
}

/**
 * Wraps an Octokit RequestError (or a network failure) without carrying over its request object,
 * whose headers and body we never want printed. `secrets` (the client's token) are scrubbed from the
 * text as a last guard, literally and encoded (base64, URL), with anything shaped like a credential.
 */
export function wrapError(error: unknown, context: GitHubErrorContext, secrets: (string | undefined)[]): GitHubApiError {
  if (error instanceof GitHubApiError) return error;
  const e = (error ?? {}) as OctokitLikeError;
  const scrub = (text: string) => redactCredentials(text, secrets);
  const cause = (error as { cause?: unknown } | undefined)?.cause ?? error;
  if (cause instanceof Error && cause.name === 'RequestTimeout') {
    const deadline = (cause as { kind?: string }).kind === 'deadline';
    const reason = deadline
      ? 'the publish deadline passed before GitHub answered; nothing is lost, rerun the same command'
      : `GitHub (or a proxy in front of it) accepted the connection but sent no answer: ${cause.message}, after retries; check GITHUB_API_URL and GitHub's status, then rerun`;
    return new GitHubApiError(context, { reason, code: deadline ? 'deadline' : 'timeout' });
  }
  if (!e.response) {
    // Octokit reports transport failures as an HttpError with status 500 and no response: that
    // is not GitHub speaking. Anything else without a response is a plain local error.
    const isTransport = (error as { name?: string } | undefined)?.name === 'HttpError';
    const reason = scrub(`${isTransport ? 'network error: ' : ''}${e.message ?? String(error)}`);
    return new GitHubApiError(context, isTransport ? { reason, code: 'network' } : { reason });
  }
  if ((e.status ?? 0) >= 500 && typeof e.response.data === 'string' && /^\s*</.test(e.response.data)) {
    // Not GitHub's JSON: a load balancer or proxy answered. The page itself says nothing useful.
    return new GitHubApiError(context, {
      status: e.status!,
      code: 'gateway',
      reason: `GitHub gateway error (HTTP ${e.status}), still failing after retries; nothing is lost, rerun later`,
    });
  }
  const data = (e.response.data ?? {}) as { message?: string; errors?: { resource?: string; field?: string; code?: string; message?: string }[] };
  const details = (data.errors ?? [])
    .map((x) => x.message ?? [x.resource && x.field ? `${x.resource}.${x.field}` : x.resource ?? x.field, x.code].filter(Boolean).join(' '))
    .filter(Boolean);
  const githubMessage = scrub([data.message ?? e.message ?? 'no message', details.length ? `(${details.join('; ')})` : ''].filter(Boolean).join(' '));
  return new GitHubApiError(context, {
    ...(e.status !== undefined ? { status: e.status } : {}),
    githubMessage,
    reason: `HTTP ${e.status ?? '?'}: ${githubMessage}`,
  });
}

export function statusOf(error: unknown): number | undefined {
  return error instanceof GitHubApiError ? error.status : (error as OctokitLikeError | undefined)?.status;
}
