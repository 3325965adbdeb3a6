// Test-only helpers (not exported from index.ts): real files and real git repositories in a
// temporary folder, because staging and changelogs are about what is really on disk.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { ArtifactRecord, BuildRecord, ImageRecord } from '@bllvm/manifest';

export async function tempDir(prefix = 'bllvm-release-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function fakeSha(seed: string): string {
  return sha256(seed).slice(0, 40);
}

export const TOOLCHAIN = 'rustc 1.88.0 (6b00bc388 2025-06-23)\nbinary: rustc\nhost: x86_64-unknown-linux-gnu\nrelease: 1.88.0';

export function buildRecord(component: string, artifacts: ArtifactRecord[], extra: Partial<BuildRecord> = {}): BuildRecord {
  return {
    component,
    repository: `BTCDecoded/${component}`,
    branch: 'main',
    commit: fakeSha(component),
    version: '0.1.0',
    toolchain: TOOLCHAIN,
    features: ['production'],
    profile: 'release',
    upstream: {},
    artifacts,
    ...extra,
  };
}

/** Writes artifacts into `<distDir>/<component>/build/` and returns a record that matches them. */
export async function writeBuild(
  distDir: string,
  component: string,
  files: { name: string; kind: ArtifactRecord['kind']; content: Buffer | string }[],
  extra: Partial<BuildRecord> = {},
): Promise<BuildRecord> {
  const dir = join(distDir, component, 'build');
  await mkdir(dir, { recursive: true });
  const artifacts: ArtifactRecord[] = [];
  for (const f of files) {
    const data = Buffer.from(f.content);
    await writeFile(join(dir, f.name), data);
    artifacts.push({ name: f.name, kind: f.kind, size: data.length, sha256: sha256(data) });
  }
  const record = buildRecord(component, artifacts, extra);
  await writeFile(join(dir, 'build.json'), JSON.stringify(record, null, 2));
  return record;
}

export async function writeImage(distDir: string, component: string, commit: string, content: Buffer | string): Promise<ImageRecord> {
  const data = Buffer.from(content);
  await mkdir(join(distDir, component), { recursive: true });
  await writeFile(join(distDir, component, 'image.oci.tar'), data);
  return {
    component,
    image: `ghcr.io/btcdecoded/${component}:${commit}`,
    tags: [commit],
    imageId: `sha256:${sha256('config' + commit)}`,
    labels: { 'org.opencontainers.image.revision': commit },
    archive: { name: 'image.oci.tar', size: data.length, sha256: sha256(data) },
    commit,
    builtAt: '2026-11-27T02:10:00.000Z',
  };
}

/** git with a fixed identity and clock and no user config, so test repositories are the same everywhere. */
export function git(cwd: string, args: string[], env: Record<string, string> = {}) {
  return execa('git', args, {
    cwd,
    env: {
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Test Author',
      GIT_AUTHOR_EMAIL: 'author@example.invalid',
      GIT_COMMITTER_NAME: 'Test Committer',
      GIT_COMMITTER_EMAIL: 'committer@example.invalid',
      GIT_AUTHOR_DATE: '2026-11-27T00:00:00Z',
      GIT_COMMITTER_DATE: '2026-11-27T00:00:00Z',
      ...env,
    },
  });
}

export async function commit(work: string, file: string, content: string, subject: string, env: Record<string, string> = {}): Promise<string> {
  await writeFile(join(work, file), content);
  await git(work, ['add', '--', file]);
  await git(work, ['commit', '-q', '-m', subject], env);
  return (await git(work, ['rev-parse', 'HEAD'])).stdout.trim();
}
