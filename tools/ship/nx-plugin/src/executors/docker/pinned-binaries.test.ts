import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrateFacts, formatPin } from '@bllvm/manifest';
import { storeFacts } from '../../lib/crate-facts';
import { pinnedBinaryProblems } from './pinned-binaries';

/** Real `cargo metadata --no-deps` of a crate with two binaries (test/fixtures/stack-metadata/capture.ts). */
const FACTS = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../../../libs/manifest/src/fixtures/stack-metadata.json'), 'utf8')) as Record<string, CrateFacts>;
const COMMIT = 'c'.repeat(40);
let ws: string;

beforeAll(async () => {
  ws = await mkdtemp(join(tmpdir(), 'pinned-binaries-'));
  await mkdir(join(ws, 'apps', 'secp'), { recursive: true });
  await writeFile(join(ws, 'apps', 'secp', 'project.json'), JSON.stringify({ name: 'secp', tags: ['component', 'kind:image'] }));
  await writeFile(join(ws, 'apps', 'secp', 'pin.toml'), formatPin({ repository: 'Org/sec', branch: 'main', commit: COMMIT }));
});
afterAll(async () => rm(ws, { recursive: true, force: true }));

describe('pinnedBinaryProblems', () => {
  it('has nothing to say before a build cached the crate metadata', async () => {
    expect(await pinnedBinaryProblems(ws, join(ws, 'work'), 'secp', ['nope'])).toBeUndefined();
  });

  it("names a binary the pinned crate does not build, with the crate's binaries, once the build cached its metadata", async () => {
    await storeFacts(join(ws, 'work'), { repository: 'Org/sec', commit: COMMIT, crateDir: '.' }, FACTS.sec!);
    expect(await pinnedBinaryProblems(ws, join(ws, 'work'), 'secp', ['sec-tool'])).toEqual([]);
    expect(await pinnedBinaryProblems(ws, join(ws, 'work'), 'secp', ['sec-tool', 'governance-app'])).toEqual([
      'secp@ccccccc: binary "governance-app" is not a bin target of sec-lib at this commit; its binaries: sec-bench, sec-tool',
    ]);
  });
});
