import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildRecord, type ImageRecord, componentDist } from '@bllvm/manifest';
import { type PodmanService, startPodmanService } from '@bllvm/podman';
import { runDockerTask } from '@bllvm/nx-plugin/testing';

// The image executor on a real engine, built again and again from one build record: the image id
// and archive must not change. A fresh engine, as on a CI machine, with nothing loaded before.
// Found by CI: podman writes one history step per --label flag in Go's map order, which changed
// between two nightlies, so the same pins gave two image ids (canonical-image.ts sorts them now).
const BUILDS = 4;
let dir: string;
let podman: PodmanService;
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bllvm-image-'));
  podman = await startPodmanService(join(dir, 'podman'), 20_000, { privateStorage: true });
  const dist = componentDist(join(dir, 'dist'), 'app');
  await mkdir(dist.build.dir, { recursive: true });
  const binaries = { app: 'the app binary', tool: 'the tool binary' };
  for (const [name, content] of Object.entries(binaries)) await writeFile(join(dist.build.dir, name), content);
  const record: BuildRecord = {
    component: 'app',
    repository: 'Org/app',
    branch: 'main',
    commit: 'a'.repeat(40),
    version: '1.2.3',
    toolchain: 'rustc 1.95.0',
    features: [],
    profile: 'release',
    upstream: {},
    artifacts: Object.entries(binaries).map(([name, content]) => ({ name, kind: 'binary', size: content.length, sha256: sha256(content) })),
    settings: { sourceDateEpoch: 1_700_000_000, cargo: 'cargo 1.95.0', rustflags: [], command: ['cargo', 'build'], sandbox: {} },
  };
  await writeFile(dist.build.record, JSON.stringify(record));
  await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY app tool /usr/local/bin/\nUSER 65532:65532\nENTRYPOINT ["/usr/local/bin/app"]\n');
});

afterAll(async () => {
  await podman?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the image of one build record', () => {
  it(`is the same id and archive in ${BUILDS} builds on one engine, the first on a fresh one`, async () => {
    const dist = componentDist(join(dir, 'dist'), 'app');
    const seen: { imageId: string; archive: string }[] = [];
    for (let i = 0; i < BUILDS; i++) {
      const lines: string[] = [];
      const r = await runDockerTask(
        // Four labels, as every image gets (docker-args.ts), and extra tags: podman orders their steps by chance.
        { dockerfile: 'Dockerfile', image: 'localhost/app', binaries: ['app', 'tool'], tags: ['nightly', 'latest'] },
        { workspaceRoot: dir, component: 'app', dist, contextDir: join(dir, `context-${i}`), log: (l) => lines.push(l), env: { ...process.env, DOCKER_HOST: podman.dockerHost } },
      );
      expect(r.success, `${r.message}\n${lines.join('\n')}`).toBe(true);
      const image = JSON.parse(await readFile(dist.image.record, 'utf8')) as ImageRecord;
      seen.push({ imageId: image.imageId, archive: sha256(await readFile(join(dist.dir, 'image.tar'))) });
    }
    expect(new Set(seen.map((s) => s.imageId)).size, JSON.stringify(seen)).toBe(1);
    expect(new Set(seen.map((s) => s.archive)).size).toBe(1);
  }, 180_000);
});
