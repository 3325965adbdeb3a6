import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Component, componentDist } from '@bllvm/manifest';
import { crateOf } from './crate-fixture';
import { cargoError, lockNames, packageSandbox, releaseCrates } from './package-crate';

const layout = {
  checkouts: { 'bllvm-consensus': '/w/.bllvm/sources/bllvm-consensus', 'bllvm-protocol': '/w/.bllvm/sources/bllvm-protocol' },
  self: 'bllvm-protocol',
  targetDir: '/w/.bllvm/target/bllvm-protocol/package',
  registryHome: '/w/.bllvm/cargo-home/bllvm-protocol',
};

describe('the package sandbox', () => {
  it('mounts the checkouts, the mirror objects under the own checkout, the overlay read-only, and an empty cargo home: no registry cache', () => {
    const spec = packageSandbox(layout, '/sysroot', {}, ['cargo', 'package'], 128, { overlay: '/w/.bllvm/scratch/o', objects: '/w/.bllvm/mirrors/BTCDecoded/bllvm-protocol.git/objects' });
    expect(spec.mounts).toEqual([
      { host: '/w/.bllvm/sources/bllvm-consensus', at: '/src/bllvm-consensus' },
      { host: '/w/.bllvm/sources/bllvm-protocol', at: '/src/bllvm-protocol' },
      { host: '/w/.bllvm/mirrors/BTCDecoded/bllvm-protocol.git/objects', at: '/src/bllvm-protocol/.git/objects' },
      { host: layout.targetDir, at: '/target', writable: true },
      { tmpfsMiB: 128, at: '/cargo-home' },
      { host: '/w/.bllvm/scratch/o', at: '/release-crates' },
    ]);
    expect(spec.mounts.filter((m) => 'writable' in m && m.writable).map((m) => m.at)).toEqual(['/target']);
    expect(spec.cwd).toBe('/src/bllvm-protocol');
  });
});

describe('cargoError', () => {
  it("puts cargo's error and its cause on one line, without colours, notes or source excerpts", () => {
    const stderr = [
      '\x1b[1m\x1b[91merror\x1b[0m: failed to verify manifest at `/src/bllvm-protocol/Cargo.toml`',
      '',
      'Caused by:',
      '  all dependencies must have a version requirement specified when packaging.',
      '  dependency `bllvm-consensus` does not specify a version',
      '  Note: The packaged dependency will use the version from crates.io,',
    ].join('\n');
    expect(cargoError(stderr)).toBe('failed to verify manifest at `/src/bllvm-protocol/Cargo.toml`: all dependencies must have a version requirement specified when packaging. dependency `bllvm-consensus` does not specify a version');
    expect(cargoError('error[E0425]: cannot find value `x` in this scope\n --> src/lib.rs:1:1\n')).toBe('cannot find value `x` in this scope');
    expect(cargoError('   Compiling x\n')).toBeUndefined();
  });
});

describe('releaseCrates', () => {
  let dir: string;
  const PIN = 'a'.repeat(40);
  const upstream = (id: string) => ({ id, pin: { commit: PIN }, dist: componentDist(join(dir, 'dist'), id) }) as unknown as Component;
  const write = async (id: string, record: Record<string, unknown>, bytes: Buffer) => {
    const d = componentDist(join(dir, 'dist'), id).crate;
    await mkdir(d.dir, { recursive: true });
    await writeFile(join(d.dir, `${id}-0.1.1.crate`), bytes);
    await writeFile(d.record, JSON.stringify({ component: id, crate: id, version: '0.1.1', file: `${id}-0.1.1.crate`, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), commit: PIN, dependsOn: [], ...record }));
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bllvm-release-crates-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("takes each upstream's packaged crate, and skips an upstream that packaged none", async () => {
    await write('cons', {}, crateOf('cons', '0.1.1', '[package]\nname = "cons"\nversion = "0.1.1"\n'));
    const got = await releaseCrates({ upstream: [upstream('cons'), upstream('prim')] });
    expect(got.map((c) => [c.component, c.archive.name, c.archive.version])).toEqual([['cons', 'cons', '0.1.1']]);
  });

  it('refuses a record made for another pin, or a crate file that is not the one its record describes', async () => {
    await write('cons', { commit: 'b'.repeat(40) }, crateOf('cons', '0.1.1', '[package]\nname = "cons"\nversion = "0.1.1"\n'));
    await expect(releaseCrates({ upstream: [upstream('cons')] })).rejects.toThrow(`is for cons@bbbbbbb, but cons is pinned at aaaaaaa: run its package target first`);
    await write('cons', { sha256: 'c'.repeat(64) }, crateOf('cons', '0.1.1', '[package]\nname = "cons"\nversion = "0.1.1"\n'));
    await expect(releaseCrates({ upstream: [upstream('cons')] })).rejects.toThrow('is not the crate');
  });
});

describe('lockNames', () => {
  it('lists the packages and the unused patches of a lock', () => {
    const lock = 'version = 4\n\n[[package]]\nname = "blvm-protocol"\nversion = "0.1.0"\n\n[[package]]\nname = "leaf"\nversion = "0.1.3"\n\n[[patch.unused]]\nname = "blvm-muhash"\nversion = "0.1.0"\n';
    expect([...lockNames(lock)].sort()).toEqual(['blvm-muhash', 'blvm-protocol', 'leaf']);
    expect(() => lockNames('[[package]\n')).toThrow();
  });
});
