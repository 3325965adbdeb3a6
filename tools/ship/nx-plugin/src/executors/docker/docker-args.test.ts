import { describe, expect, it } from 'vitest';
import type { BuildRecord } from '@bllvm/manifest';
import { dockerBuildArgs, dockerEnv, imageTags } from './docker-args';

const record = { component: 'governance-app', repository: 'BTCDecoded/governance-app', commit: 'c'.repeat(40), version: '0.1.0' } as BuildRecord;

describe('docker arguments', () => {
  it('builds with no network by default, tags by commit and labels the source', () => {
    const args = dockerBuildArgs({ dockerfile: 'D', image: 'ghcr.io/btcdecoded/governance-app', binaries: ['governance-app'] }, record, '/ctx', '/ctx/Dockerfile');
    expect(args.slice(0, 5)).toEqual(['build', '--no-cache', '--network=none', '--file', '/ctx/Dockerfile']);
    expect(args).toContain(`ghcr.io/btcdecoded/governance-app:${'c'.repeat(40)}`);
    expect(args).toContain('org.opencontainers.image.source=https://github.com/BTCDecoded/governance-app');
    expect(args).toContain(`org.opencontainers.image.revision=${'c'.repeat(40)}`);
    expect(args).toContain('org.opencontainers.image.version=0.1.0');
    expect(args.at(-1)).toBe('/ctx');
    // The id of what this build made, read back by the executor (a shared engine's tags can move).
    const withId = dockerBuildArgs({ dockerfile: 'D', image: 'r/x', binaries: ['a'] }, record, '/ctx', '/ctx/Dockerfile', '/ctx.iid');
    expect(withId.slice(withId.indexOf('--iidfile'), withId.indexOf('--iidfile') + 2)).toEqual(['--iidfile', '/ctx.iid']);
  });

  it("dates the image by the build record's SOURCE_DATE_EPOCH when it has one", () => {
    const options = { dockerfile: 'D', image: 'r/x', binaries: ['a'] };
    const settings = { sourceDateEpoch: 1700000000, cargo: '', rustflags: [], command: ['cargo'], sandbox: {} };
    const args = dockerBuildArgs(options, { ...record, settings }, '/ctx', '/ctx/Dockerfile');
    expect(args.slice(args.indexOf('SOURCE_DATE_EPOCH=1700000000') - 1, args.indexOf('SOURCE_DATE_EPOCH=1700000000') + 1)).toEqual(['--build-arg', 'SOURCE_DATE_EPOCH=1700000000']);
    expect(dockerBuildArgs(options, record, '/ctx', '/ctx/Dockerfile').join(' ')).not.toContain('SOURCE_DATE_EPOCH');
  });

  it('adds extra tags once', () => {
    expect(imageTags({ dockerfile: 'D', image: 'r/x', binaries: ['a'], tags: ['latest', 'latest'] }, record)).toEqual([`r/x:${'c'.repeat(40)}`, 'r/x:latest']);
  });
});

describe('dockerEnv', () => {
  it('passes the engine address and PATH, and nothing else of the runner', () => {
    const env = dockerEnv({ PATH: '/usr/bin', DOCKER_HOST: 'unix:///p.sock', GITHUB_TOKEN: 'ghp_x', BLLVM_DEPLOY_TOKEN: 'd', HOME: '/root' }, '/w/ctx');
    expect(env).toEqual({ PATH: '/usr/bin', DOCKER_HOST: 'unix:///p.sock', DOCKER_CONFIG: '/w/ctx.docker-config', HOME: '/w/ctx.home' });
  });

  it('leaves out the Nx cache token a class job holds for Nx', () => {
    const env = dockerEnv({ PATH: '/usr/bin', NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 'write-token', NX_SELF_HOSTED_REMOTE_CACHE_SERVER: 'https://cache.example' }, '/w/ctx');
    expect(Object.values(env).join('\n')).not.toMatch(/write-token|cache\.example/);
  });
});
