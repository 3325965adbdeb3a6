import { describe, expect, it } from 'vitest';
import { nxEnv } from './nx';

describe('nxEnv', () => {
  it('passes the remote cache settings through to Nx unchanged (Nx reads them; the builds it starts never see them)', () => {
    const env = nxEnv({ PATH: '/usr/bin', NX_SELF_HOSTED_REMOTE_CACHE_SERVER: 'https://cache.example:8443', NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 'write-token' });
    expect(env).toMatchObject({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: 'https://cache.example:8443', NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 'write-token', NX_NO_CLOUD: 'true', NX_DAEMON: 'false' });
  });
});
