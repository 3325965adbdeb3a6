import { describe, expect, it } from 'vitest';
import { OrchestratorError, redactCredentials } from './index';

// GitHub's token formats (docs: "About authentication to GitHub", token prefixes): the random part
// is base62; a fine-grained personal access token is github_pat_ + 22 + _ + 59 characters.
const CLASSIC = 'ghp_R8kQ2mZ7xW4nV9bT1cY6uH3jL5pA0sD8fG2h';
const FINE_GRAINED = `github_pat_11ABCDEFG0123456789abcd_${'Zq7Rk2Lm9Xw4Nv8Bt1Cy6Uh3Jl5Pa0Sd8Fg2Hk4Mn7Qr9Ts1Vx3Wz5Yb'}`;
const TOKENS: Record<string, string> = {
  classic: CLASSIC,
  oauth: 'gho_K3lM9nB2vC7xZ1aS5dF8gH4jQ6wE0rT2yU9i',
  'user-to-server': 'ghu_P0oI9uY8tR7eW6qA5sD4fG3hJ2kL1zX0cV9b',
  'server-to-server (Actions GITHUB_TOKEN)': 'ghs_M1nB2vC3xZ4aS5dF6gH7jK8lQ9wE0rT1yU2iO3p',
  refresh: `ghr_${'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4Y5z6A7b8C9d0E1f2G3h4I5j6K7l8'}`,
  'fine-grained (80+ characters)': FINE_GRAINED,
  'a longer random part than today\'s': `ghp_${'x7Y'.repeat(40)}`,
};

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');

/** Nothing of the secret: no run of 6 of its characters survives (its well-known prefix aside). */
function expectNoneOf(secret: string, text: string) {
  const random = secret.replace(/^(gh[pousr]_|github_pat_)/i, '');
  for (let i = 0; i + 6 <= random.length; i++) expect(text, `"${random.slice(i, i + 6)}" of the secret survived`).not.toContain(random.slice(i, i + 6));
}

describe('redactCredentials: GitHub tokens by their format, wherever they appear', () => {
  for (const [kind, token] of Object.entries(TOKENS)) {
    it(`a ${kind} token, bare, glued to a word, quoted, in JSON and as x-access-token`, () => {
      const text = [
        `fatal: could not read ${token} from the environment`,
        `GITHUB_TOKEN${token}`,
        `token '${token}' was rejected`,
        JSON.stringify({ headers: { auth: token } }),
        `remote: x-access-token:${token} is not valid`,
      ].join('\n');
      const out = redactCredentials(text);
      expectNoneOf(token, out);
      expect(out).toContain('fatal: could not read *** from the environment');
      expect(out).toContain('x-access-token:*** is not valid');
    });
  }

  it('whatever the case of the prefix (Ghp_, GHP_, GitHub_Pat_): a token mangled by a log formatter is still one', () => {
    for (const token of [`Ghp_${CLASSIC.slice(4)}`, CLASSIC.toUpperCase(), `GitHub_Pat_${FINE_GRAINED.slice(11)}`, `GHS_${TOKENS['server-to-server (Actions GITHUB_TOKEN)']!.slice(4)}`]) {
      const out = redactCredentials(`using ${token} now`);
      expect(out).toBe('using *** now');
    }
  });
});

describe('redactCredentials: authorization headers, any scheme, any case', () => {
  const opaque = 'Zx9-opaque.Credential_4711';
  const cases: [string, string, string][] = [
    ['Authorization: token', `Authorization: token ${opaque}`, 'Authorization: token ***'],
    ['AUTHORIZATION: TOKEN', `AUTHORIZATION: TOKEN ${opaque}`, 'AUTHORIZATION: TOKEN ***'],
    ['authorization: Bearer', `authorization: Bearer ${opaque}`, 'authorization: Bearer ***'],
    ['Authorization: BEARER', `Authorization: BEARER ${opaque}`, 'Authorization: BEARER ***'],
    ['no scheme', `Authorization: ${opaque}`, 'Authorization: ***'],
    ['an unknown scheme', `Authorization: RemoteAuth ${opaque}`, 'Authorization: ***'],
    ['Basic x-access-token:TOKEN (git over https)', `Authorization: Basic ${b64(`x-access-token:${CLASSIC}`)}`, 'Authorization: Basic ***'],
    ['Basic user:password', `authorization: basic ${b64(`ci-bot:${opaque}`)}`, 'authorization: basic ***'],
    ['Proxy-Authorization', `Proxy-Authorization: Basic ${b64(`proxy:${opaque}`)}`, 'Proxy-Authorization: Basic ***'],
    ['a JS object as util.inspect prints it', `{ headers: { authorization: 'token ${opaque}', accept: 'x' } }`, `{ headers: { authorization: 'token ***', accept: 'x' } }`],
    ['JSON', `{"authorization":"Bearer ${opaque}","accept":"x"}`, '{"authorization":"Bearer ***","accept":"x"}'],
    ['curl -H', `curl -H "Authorization: token ${opaque}" https://api.github.com`, 'curl -H "Authorization: token ***" https://api.github.com'],
    ['git -c http.extraheader', `git -c http.extraheader="AUTHORIZATION: basic ${b64(`x-access-token:${opaque}`)}" fetch`, 'git -c http.extraheader="AUTHORIZATION: basic ***" fetch'],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const out = redactCredentials(text);
      expect(out).toBe(expected);
      expectNoneOf(opaque, out);
    });
  }
});

describe('redactCredentials: bearer credentials without their header, and JWTs', () => {
  it('a "Bearer …" or "token …" value quoted on its own, and a GitHub App\'s signed JWT', () => {
    const jwt = `${b64url('{"alg":"RS256","typ":"JWT"}')}.${b64url('{"iat":1700000000,"iss":"123456"}')}.${'Sg7Kd2Lq9Zx4Vn8Bw1Cy6Tu3Hj5Pa0Rf'}`;
    expect(redactCredentials(`sent Bearer ${jwt} to /app/installations`)).toBe('sent Bearer *** to /app/installations');
    expect(redactCredentials(`jwt ${jwt} expired`)).toBe('jwt *** expired');
    expect(redactCredentials('retrying with token Zx9opaqueCredential4711Q')).toBe('retrying with token ***');
    // Words after "token" in prose are not credentials.
    expect(redactCredentials('the token is not set; pass a token to the command')).toBe('the token is not set; pass a token to the command');
  });
});

describe('redactCredentials: base64 of credentials outside a header', () => {
  it('a base64 (or base64url) blob of user:token, or of anything holding a GitHub token, is removed whole', () => {
    for (const blob of [
      b64(`x-access-token:${CLASSIC}`),
      b64url(`x-access-token:${FINE_GRAINED}`),
      b64(`ci-bot:Zx9-opaque.Credential_4711`),
      b64(JSON.stringify({ token: TOKENS.oauth })),
    ]) {
      const out = redactCredentials(`credential helper returned ${blob} (exit 128)`);
      expect(out).toBe('credential helper returned *** (exit 128)');
    }
  });
});

describe('redactCredentials: the configured secrets, literally and encoded', () => {
  // An opaque token GitHub's formats do not describe (an enterprise server's, a local API's).
  const secret = 'local-7fq2x9w4k1m8pz3v';
  const special = 'p@ss/w:rd+x&y=z Q%';

  it('the literal value and its URL-encoded form', () => {
    expect(redactCredentials(`POST https://h/?access_token=${secret}&x=1 failed`, [secret])).toBe('POST https://h/?access_token=***&x=1 failed');
    expect(redactCredentials(`fetch https://h/?t=${encodeURIComponent(special)} failed`, [special])).toBe('fetch https://h/?t=*** failed');
    expect(redactCredentials(`value ${special} seen`, [special])).toBe('value *** seen');
  });

  it('its base64 and base64url, on its own and inside a longer blob at every alignment', () => {
    for (const prefix of ['', 'x', 'xy', 'x-access-token:', 'user:', 'ab:']) {
      for (const suffix of ['', '!', '\n']) {
        for (const encode of [b64, b64url]) {
          const blob = encode(`${prefix}${secret}${suffix}`);
          const out = redactCredentials(`header ${blob} end`, [secret]);
          expect(out, `${prefix}|${suffix}|${encode.name}`).toBe('header *** end');
        }
      }
    }
  });

  it('each line of a multi-line secret (an armored key) on its own', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIDx1jT0bm0B3qZ0s1a2b3c4d5e6f7g8h9i\n-----END PRIVATE KEY-----\n';
    const out = redactCredentials('key: MC4CAQAwBQYDK2VwBCIEIDx1jT0bm0B3qZ0s1a2b3c4d5e6f7g8h9i (bad)', [key]);
    expect(out).toBe('key: *** (bad)');
  });

  it('ignores unset and trivially short secrets (masking "a" would mask every a)', () => {
    expect(redactCredentials('a plain message', [undefined, '', 'a'])).toBe('a plain message');
  });
});

describe('redactCredentials: what it leaves alone', () => {
  it('commits, digests, tags, paths, task names and prose about authorization', () => {
    const text = [
      'bllvm-node@0123456789abcdef0123456789abcdef01234567: sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'tools/ship/nx-plugin/src/executors/publish/run-publish.ts',
      'nightly-20260102-abcdef1 release-set:release governance-app-v1.2.3-image.oci.tar',
      'HTTP 401: Bad credentials (authorization failed); set GITHUB_TOKEN',
      'see ghp_... in the docs; BLLVM_LOCK_WAIT_SECONDS=600',
      'test tests::weighs_at_least_one_of_everything ... ok; sighs_and_laughs_of_the_stack',
      'https://github.com/BTCDecoded/blvm-node.git',
    ].join('\n');
    expect(redactCredentials(text)).toBe(text);
  });

  it('URL credentials as before', () => {
    expect(redactCredentials('https://ci-bot:s3cret@host/x and ssh://git@github.com/o/r')).toBe('https://***@host/x and ssh://***@github.com/o/r');
  });

  it('every OrchestratorError message is scrubbed by pattern', () => {
    expect(new OrchestratorError(`push failed: Authorization: Basic ${b64(`x-access-token:${CLASSIC}`)}`).message).toBe('push failed: Authorization: Basic ***');
    expect(new OrchestratorError(`bad ${FINE_GRAINED}`).message).toBe('bad ***');
  });
});
