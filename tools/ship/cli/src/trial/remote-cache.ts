/**
 * Is the shared cache's token a read token? Asked of the server, not assumed: a PUT of no entry, to
 * a key that is not a hash, which the cache server checks after the token (handlers.ts: route,
 * token, hash). A read token is refused (403) before the key is looked at; a token that may write
 * gets to the key and is refused for it (400), so nothing is ever stored. Anything else: unknown.
 */
import { request } from 'node:http';
import { request as requestTls } from 'node:https';

export type CacheTokenKind = 'read-only' | 'can-write' | 'refused' | 'unreachable';

/** Pure: the verdict of the probe's status (undefined: no answer). */
export function judgeTokenProbe(status: number | undefined): CacheTokenKind {
  if (status === undefined) return 'unreachable';
  if (status === 403) return 'read-only';
  if (status === 401) return 'refused';
  return 'can-write';
}

export const PROBE_KEY = 'trial-write-probe';

export async function probeCacheToken(server: string, token: string, timeoutMs = 10_000): Promise<CacheTokenKind> {
  let url: URL;
  try {
    url = new URL(`${server.replace(/\/+$/, '')}/v1/cache/${PROBE_KEY}`);
  } catch {
    return 'unreachable';
  }
  const send = url.protocol === 'https:' ? requestTls : request;
  const status = await new Promise<number | undefined>((resolve) => {
    const req = send(url, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-length': '0' }, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
  return judgeTokenProbe(status);
}
