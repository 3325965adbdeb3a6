/**
 * Credentials out of text meant for a person or a log. Two nets, because neither alone is enough:
 *
 * - by shape, for secrets nobody told us about: URL user:password@, authorization headers of any
 *   scheme and case, GitHub's token formats, `*_TOKEN=` assignments, and base64 blobs that decode
 *   to one of those or to `user:secret` (git over https sends `Basic base64(x-access-token:TOKEN)`);
 * - by value, for the secrets the configuration holds (GITHUB_TOKEN, the deploy token, keys):
 *   an opaque token has no shape, so its literal, URL-encoded and base64 forms are removed too.
 *
 * Pure. Whatever matches is replaced whole by MASK: not even a prefix or a length is kept.
 */

const MASK = '***';

/** scheme://user:password@ (or user@): git repeats the URL it failed on, with its credentials. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s'"`<>]+@/gi;

/**
 * GitHub's tokens: ghp_ (classic personal), gho_ (OAuth), ghu_ (user-to-server), ghs_
 * (server-to-server, which Actions' GITHUB_TOKEN is), ghr_ (refresh), github_pat_ (fine-grained,
 * 82 characters after the prefix). GitHub may lengthen them, so there is no upper bound, and no
 * word boundary before the prefix (a token glued to `GITHUB_TOKEN` or `tokenghp_` is still one).
 * Case-insensitive: a token a formatter upper-cased is no longer valid, but is still not ours to print.
 * At least 16 characters after the prefix, so "ghp_..." in prose stays readable; only the
 * fine-grained form has underscores in its random part, so `weighs_at_least_one` is no token.
 */
const GITHUB_TOKEN = /gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,}/gi;

/**
 * An Authorization or Proxy-Authorization header as HTTP, curl, git's http.extraheader, JSON or
 * util.inspect write it. A well-known scheme word is kept (it tells the reader which kind failed);
 * everything else up to the end of the value goes, since an unknown "scheme" may be the credential.
 */
const AUTH_HEADER =
  /\b((?:proxy-)?authorization)(["']?\s*[:=]\s*)(["']?)((?:basic|bearer|token|digest|negotiate|ntlm)\s+)?([^"'\r\n,;}]*[^"'\r\n,;}\s])/gi;

/** `GITHUB_TOKEN=…`, `X_PASSWORD=…`: an environment assignment quoted in a command line or a dump. */
const SECRET_ASSIGNMENT = /\b([A-Z][A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSPHRASE|_KEY))=(?!\*\*\*)[^\s'"]+/g;

/** `x-access-token:…`, the user git and GitHub Apps put before an installation token. */
const ACCESS_TOKEN_USER = /\b(x-access-token|x-oauth-basic|oauth2):(?!\*\*\*)[^\s'"@/]+/gi;

/** A JSON Web Token (a GitHub App signs one to get installation tokens): header.payload.signature. */
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;

/** `Bearer <credential>` or `token <credential>` quoted without its header name. */
const SCHEME_VALUE = /\b(bearer|token)(\s+)(?!\*\*\*)[A-Za-z0-9._~+/-]{16,}=*/gi;

/** A run of base64 or base64url, long enough to hold a credential (12 bytes). */
const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;

/**
 * What a decoded blob looks like when it is `user:secret`: printable ASCII, one colon, no spaces.
 * Printable only, so the bytes a digest or a commit decode to (which are not text) never qualify.
 */
const USER_SECRET = /^[\x21-\x39\x3b-\x7e]{1,100}:[\x21-\x39\x3b-\x7e]{6,}$/;
const HOLDS_GITHUB_TOKEN = new RegExp(GITHUB_TOKEN.source, 'i');

const MIN_LITERAL = 4;
const MIN_BASE64_CORE = 8;

/**
 * `text` with every credential replaced by ***: by shape always, and by value for each of
 * `secrets` (the configured tokens and keys; unset ones are skipped).
 */
export function redactCredentials(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = redactKnown(text, secrets);
  out = out.replace(URL_USERINFO, `$1${MASK}@`);
  out = out.replace(AUTH_HEADER, (_m, name: string, sep: string, quote: string, scheme: string | undefined) => `${name}${sep}${quote}${scheme ?? ''}${MASK}`);
  out = out.replace(ACCESS_TOKEN_USER, `$1:${MASK}`);
  out = out.replace(SECRET_ASSIGNMENT, `$1=${MASK}`);
  out = out.replace(GITHUB_TOKEN, MASK);
  out = out.replace(JWT, MASK);
  out = out.replace(SCHEME_VALUE, `$1$2${MASK}`);
  return out.replace(BASE64_RUN, (run) => (decodesToCredential(run) ? MASK : run));
}

/** Whether a base64 run is the encoding of a credential: a GitHub token inside, or `user:secret`. */
function decodesToCredential(run: string): boolean {
  const standard = run.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (standard.length % 4 === 1) return false;
  const bytes = Buffer.from(standard, 'base64');
  // Node decodes anything; only a run that is exactly the encoding of its bytes is base64 at all.
  if (bytes.toString('base64').replace(/=+$/, '') !== standard) return false;
  const decoded = bytes.toString('latin1');
  return HOLDS_GITHUB_TOKEN.test(decoded) || USER_SECRET.test(decoded.replace(/\r?\n$/, ''));
}

function redactKnown(text: string, secrets: readonly (string | undefined)[]): string {
  const literals = new Set<string>();
  const cores = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_LITERAL) continue;
    for (const value of [secret, ...secret.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length >= 16)]) {
      literals.add(value);
      literals.add(encodeURIComponent(value));
      for (const core of base64Cores(value)) cores.add(core);
    }
  }
  let out = text;
  // Longest first, so a secret that contains another is removed whole.
  for (const literal of [...literals].sort((a, b) => b.length - a.length)) out = out.split(literal).join(MASK);
  if (cores.size === 0) return out;
  return out.replace(/[A-Za-z0-9+/_-]+={0,2}/g, (run) => ([...cores].some((core) => run.includes(core)) ? MASK : run));
}

/**
 * What any base64 (or base64url) encoding of bytes holding `secret` must contain, whatever came
 * before it: base64 encodes 3 bytes at a time, so the secret starts at one of 3 alignments, and the
 * whole groups that lie inside it encode to the same characters wherever it sits. Pure.
 */
export function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const whole = Math.floor((bytes.length - shift) / 3) * 3;
    if (whole <= 0) continue;
    const group = bytes.subarray(shift, shift + whole);
    for (const core of [group.toString('base64'), group.toString('base64url')]) if (core.length >= MIN_BASE64_CORE) out.push(core);
  }
  return out;
}
