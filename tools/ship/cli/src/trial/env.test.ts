import { describe, expect, it } from 'vitest';
import { judgeTokenProbe } from './remote-cache';
import { withheldFromTrial } from './env';

describe("what a trial's builds are given", () => {
  it('no credential of any name; the cache token only once the server refused it a write', () => {
    for (const name of ['GITHUB_TOKEN', 'GH_TOKEN', 'ORCHESTRATOR_TOKEN', 'NX_CACHE_WRITE_TOKEN', 'BLLVM_RELEASE_SIGNING_KEY', 'BLLVM_PROVENANCE_KEY', 'AWS_SECRET_ACCESS_KEY', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'REGISTRY_PASSWORD', 'SSH_PRIVATE_KEY_FILE', 'SSH_AUTH_SOCK', 'GIT_ASKPASS'])
      expect(withheldFromTrial(name, true), name).toBe(true);
    for (const name of ['PATH', 'HOME', 'DOCKER_HOST', 'BLLVM_GIT_BASE_URL', 'NX_SELF_HOSTED_REMOTE_CACHE_SERVER', 'KEYBOARD', 'MONKEY'])
      expect(withheldFromTrial(name, false), name).toBe(false);
    expect(withheldFromTrial('NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN', true)).toBe(false);
    expect(withheldFromTrial('NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN', false)).toBe(true);
  });

  it("reads the server's answer to a write of no entry: only a 403 is a read token", () => {
    expect(judgeTokenProbe(403)).toBe('read-only');
    expect(judgeTokenProbe(400)).toBe('can-write');
    expect(judgeTokenProbe(200)).toBe('can-write');
    expect(judgeTokenProbe(404)).toBe('can-write');
    expect(judgeTokenProbe(401)).toBe('refused');
    expect(judgeTokenProbe(undefined)).toBe('unreachable');
  });
});
