import { describe, expect, it } from 'vitest';
import { buildRecordOf, buildSettingsOf, commandRecordOf } from './records';

const pin = (commit: string) => ({ repository: `O/${commit}`, branch: 'main', commit });
const ctx = { component: 'node', pin: pin('n'.repeat(40)), upstream: [{ id: 'consensus', pin: pin('c'.repeat(40)) }] };
const artifacts = [{ name: 'node', kind: 'binary' as const, size: 1, sha256: 's' }];

describe('cargo records', () => {
  it('records the build: commits, upstream commits, toolchain and settings with their defaults', () => {
    expect(buildRecordOf(ctx, { command: 'build', features: ['zmq'] }, { version: '1.0.0', toolchain: 'rustc 1.88.0', artifacts })).toEqual({
      component: 'node',
      repository: `O/${'n'.repeat(40)}`,
      branch: 'main',
      commit: 'n'.repeat(40),
      version: '1.0.0',
      toolchain: 'rustc 1.88.0',
      features: ['zmq'],
      profile: 'release',
      target: undefined,
      upstream: { consensus: 'c'.repeat(40) },
      artifacts,
    });
    const all = buildRecordOf(ctx, { command: 'build', allFeatures: true, static: true, profile: 'dev' }, { version: '1.0.0', toolchain: '', artifacts });
    expect(all).toMatchObject({ features: ['(all)'], profile: 'dev', target: 'x86_64-unknown-linux-gnu' });
    expect(buildRecordOf(ctx, { command: 'build', static: true, rustTarget: 'aarch64-unknown-linux-gnu' }, { version: '', toolchain: '', artifacts }).target).toBe('aarch64-unknown-linux-gnu');
  });

  it('records the settings a rebuilder needs: the date from the pins, the flags, the command, the sandbox paths', () => {
    const env = { SOURCE_DATE_EPOCH: '1700000000', CARGO_ENCODED_RUSTFLAGS: '-C\x1ftarget-feature=+crt-static\x1f--remap-path-prefix=/toolchain=/rust' };
    const settings = buildSettingsOf(env, ['cargo', 'build', '--release'], 'cargo 1.88.0');
    expect(settings).toEqual({
      sourceDateEpoch: 1700000000,
      cargo: 'cargo 1.88.0',
      rustflags: ['-C', 'target-feature=+crt-static', '--remap-path-prefix=/toolchain=/rust'],
      command: ['cargo', 'build', '--release'],
      sandbox: { sources: '/src', target: '/target', cargoHome: '/cargo-home', toolchain: '/toolchain' },
    });
    expect(buildRecordOf(ctx, { command: 'build' }, { version: '1', toolchain: '', artifacts, settings }).settings).toEqual(settings);
    expect(() => buildSettingsOf({}, ['cargo'], '')).toThrow('SOURCE_DATE_EPOCH is not set');
  });

  it('records a passed test or verify run with its command line', () => {
    expect(commandRecordOf(ctx, ['cargo', 'test'], 42, new Date('2026-01-02T03:04:05Z'))).toEqual({
      component: 'node', commit: 'n'.repeat(40), command: ['cargo', 'test'], success: true, durationMs: 42, finishedAt: '2026-01-02T03:04:05.000Z',
    });
  });
});
