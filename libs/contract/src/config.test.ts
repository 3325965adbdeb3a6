import { describe, expect, it } from 'vitest';
import { ConfigError, configSecrets, readConfig, redactUrl } from './config';

const catchConfig = (env: NodeJS.ProcessEnv): ConfigError => {
  try {
    readConfig('/ws', env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('readConfig accepted a bad value');
};

describe('readConfig', () => {
  it('has production defaults', () => {
    const c = readConfig('/ws', {});
    expect(c).toEqual({
      gitBaseUrl: 'https://github.com/',
      workDir: '/ws/.bllvm',
      cargoRegistry: undefined,
      cargoRegistryToken: undefined,
      github: { apiUrl: 'https://api.github.com', token: undefined, deployToken: undefined, repository: undefined },
      publish: { replaceAssets: false, imagePush: false, deadlineMinutes: undefined },
      attest: { signingKey: undefined, signingKeyPassphrase: undefined, provenanceKey: undefined },
      dockerHost: undefined,
      runLockWaitMs: 600_000,
    });
  });

  it('reads every variable, normalised', () => {
    const c = readConfig('/ws', {
      BLLVM_GIT_BASE_URL: 'file:///tmp/org',
      BLLVM_WORK_DIR: 'scratch',
      GITHUB_API_URL: 'http://127.0.0.1:9/api/',
      GITHUB_TOKEN: 'tok',
      BLLVM_DEPLOY_TOKEN: 'dep',
      GITHUB_REPOSITORY: 'o/r',
      BLLVM_REPLACE_ASSETS: '1',
      BLLVM_IMAGE_PUSH: 'true',
      DOCKER_HOST: 'unix:///run/docker.sock',
      BLLVM_LOCK_WAIT_SECONDS: '5',
      BLLVM_PUBLISH_DEADLINE_MINUTES: '2.5',
    });
    expect(c.runLockWaitMs).toBe(5000);
    expect(c.gitBaseUrl).toBe('file:///tmp/org/');
    expect(c.workDir).toBe('/ws/scratch');
    expect(c.github).toEqual({ apiUrl: 'http://127.0.0.1:9/api', token: 'tok', deployToken: 'dep', repository: 'o/r' });
    expect(c.publish).toEqual({ replaceAssets: true, imagePush: true, deadlineMinutes: 2.5 });
    expect(c.dockerHost).toBe('unix:///run/docker.sock');
    expect(readConfig('/ws', { BLLVM_REPLACE_ASSETS: '0', BLLVM_IMAGE_PUSH: '' }).publish).toEqual({ replaceAssets: false, imagePush: false, deadlineMinutes: undefined });
  });

  it('takes a sparse index as the registry that replaces crates.io: https anywhere, http on this machine only', () => {
    expect(readConfig('/ws', { BLLVM_CARGO_REGISTRY: 'sparse+https://mirror.example.org/index' }).cargoRegistry).toBe('sparse+https://mirror.example.org/index/');
    expect(readConfig('/ws', { BLLVM_CARGO_REGISTRY: 'sparse+http://127.0.0.1:4321/index/' }).cargoRegistry).toBe('sparse+http://127.0.0.1:4321/index/');
    for (const bad of ['https://index.crates.io/', 'sparse+http://mirror.example.org/index/', 'registry+https://github.com/rust-lang/crates.io-index', 'sparse+https://a b/'])
      expect(catchConfig({ BLLVM_CARGO_REGISTRY: bad }).message).toMatch(/^BLLVM_CARGO_REGISTRY ".*" must be a sparse index URL without credentials/);
    const secret = catchConfig({ BLLVM_CARGO_REGISTRY: 'sparse+https://me:s3cret@mirror.example.org/' });
    expect(secret.message).not.toContain('s3cret');
  });

  it('names the bad variable and never shows credentials', () => {
    const git = catchConfig({ BLLVM_GIT_BASE_URL: 'http://user:s3cret@example.com/' });
    expect(git.message).toMatch(/^BLLVM_GIT_BASE_URL "http:\/\/\*\*\*@example.com\/" must start with https:\/\//);
    expect(git.message).not.toContain('s3cret');
    const api = catchConfig({ GITHUB_API_URL: 'https://me:s3cret@api.example.com' });
    expect(api.message).toMatch(/^GITHUB_API_URL must not carry credentials/);
    expect(api.message).not.toContain('s3cret');
    expect(catchConfig({ GITHUB_API_URL: 'api.github.com' }).message).toMatch(/^GITHUB_API_URL "api.github.com" must be an http/);
    expect(catchConfig({ BLLVM_IMAGE_PUSH: 'sometimes' }).message).toBe('BLLVM_IMAGE_PUSH must be 1 or 0 (or true/false), got "sometimes"');
    expect(catchConfig({ BLLVM_LOCK_WAIT_SECONDS: '10m' }).message).toBe('BLLVM_LOCK_WAIT_SECONDS must be a whole number of seconds, got "10m"');
    expect(catchConfig({ GITHUB_REPOSITORY: 'no-slash' }).message).toMatch(/^GITHUB_REPOSITORY must be owner\/name/);
    expect(redactUrl('ssh://git@github.com/')).toBe('ssh://***@github.com/');
    for (const bad of ['0', '-1', 'ten', '1e9', '0x10']) {
      expect(catchConfig({ BLLVM_PUBLISH_DEADLINE_MINUTES: bad }).message).toBe(`BLLVM_PUBLISH_DEADLINE_MINUTES must be a positive number of minutes (at most 1440), got "${bad}"`);
    }
  });

  it('lists every secret it holds, for scrubbing by value (an opaque token has no shape to find it by)', () => {
    const c = readConfig('/ws', {
      BLLVM_GIT_BASE_URL: 'https://ci-bot:pa%2Fss@git.example.com/',
      GITHUB_TOKEN: 'tok-1',
      BLLVM_DEPLOY_TOKEN: 'dep-2',
      BLLVM_RELEASE_SIGNING_KEY: 'armored',
      BLLVM_RELEASE_SIGNING_KEY_PASSPHRASE: 'phrase',
      BLLVM_PROVENANCE_KEY: 'pem',
      BLLVM_CARGO_REGISTRY_TOKEN: 'cio-3',
    });
    expect(c.cargoRegistryToken).toBe('cio-3');
    expect(configSecrets(c).sort()).toEqual(['armored', 'cio-3', 'dep-2', 'pa%2Fss', 'pa/ss', 'pem', 'phrase', 'tok-1']);
    expect(configSecrets(readConfig('/ws', {}))).toEqual([]);
  });
});
