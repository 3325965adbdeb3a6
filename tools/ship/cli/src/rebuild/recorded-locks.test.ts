import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BuildRecord } from '@bllvm/manifest';
import { type ReleaseManifest, type TarEntry, writeTarGz } from '@bllvm/release';
import { recordedLocks } from './recorded-locks';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const LOCK = Buffer.from('version = 4\n\n[[package]]\nname = "leaf"\nversion = "0.2.0"\n');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A component archive as staging writes it: a folder holding build.json and, maybe, Cargo.lock. */
async function archive(component: string, record: Partial<BuildRecord>, lock?: Buffer): Promise<[string, Buffer]> {
  const dir = await mkdtemp(join(tmpdir(), 'bllvm-locks-'));
  dirs.push(dir);
  const stem = `${component}-nightly-20261206-0123456-linux-x86_64`;
  const file = (path: string, data: Buffer): TarEntry => ({ type: 'file', path: `${stem}/${path}`, mode: 0o644, size: data.length, content: async function* () { yield data; } });
  const build = { component, repository: `BTCDecoded/${component}`, branch: 'main', commit: 'a'.repeat(40), version: '0.1.0', toolchain: 'rustc 1.95.0', features: [], profile: 'release', upstream: {}, artifacts: [], ...record };
  const entries = [{ type: 'directory' as const, path: `${stem}/`, mode: 0o755 }, file('build.json', Buffer.from(JSON.stringify(build))), ...(lock ? [file('Cargo.lock', lock)] : [])];
  await writeTarGz(entries, join(dir, `${stem}.tar.gz`));
  return [`${stem}.tar.gz`, await readFile(join(dir, `${stem}.tar.gz`))];
}

const manifestOf = (names: Record<string, string>): ReleaseManifest =>
  ({ components: Object.entries(names).map(([component, name]) => ({ component, archive: { name, size: 0, sha256: '' } })) }) as unknown as ReleaseManifest;

describe('the locks a release recorded', () => {
  it('takes the lock of each component whose repository commits none, and none for one that commits its own', async () => {
    const [gen, genBytes] = await archive('bllvm-protocol', { lock: { sha256: sha(LOCK), origin: 'generated' } }, LOCK);
    const [com, comBytes] = await archive('bllvm-consensus', { lock: { sha256: sha(LOCK), origin: 'committed' } }, LOCK);
    const [old, oldBytes] = await archive('bllvm-node', {});
    const r = recordedLocks(manifestOf({ 'bllvm-protocol': gen, 'bllvm-consensus': com, 'bllvm-node': old }), new Map([[gen, genBytes], [com, comBytes], [old, oldBytes]]));
    expect(r.problems).toEqual([]);
    expect([...r.locks.keys()]).toEqual(['bllvm-protocol']);
    expect(r.locks.get('bllvm-protocol')!.equals(LOCK)).toBe(true);
  });

  it('names an archive whose lock is not the one its record names, or is missing', async () => {
    const [changed, changedBytes] = await archive('bllvm-protocol', { lock: { sha256: sha(LOCK), origin: 'generated' } }, Buffer.from('version = 4\n'));
    const [missing, missingBytes] = await archive('bllvm-node', { lock: { sha256: sha(LOCK), origin: 'generated' } });
    const r = recordedLocks(manifestOf({ 'bllvm-protocol': changed, 'bllvm-node': missing, bllvm: 'bllvm-gone.tar.gz' }), new Map([[changed, changedBytes], [missing, missingBytes]]));
    expect(r.locks.size).toBe(0);
    expect(r.problems).toEqual([
      `bllvm-protocol: ${changed} holds a Cargo.lock that is not the one its build record names`,
      `bllvm-node: ${missing} holds no Cargo.lock, though its build record names one`,
      'bllvm: the release has no bllvm-gone.tar.gz',
    ]);
  });
});
