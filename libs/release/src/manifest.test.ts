import { describe, expect, it } from 'vitest';
import type { BuildRecord, ImageRecord } from '@bllvm/manifest';
import { buildReleaseManifest, releaseSetProblems, serializeReleaseManifest, type ReleaseManifestInput } from './manifest';
import { buildRecord, fakeSha } from './testing';

const ORCH = '0123456789abcdef0123456789abcdef01234567';
const D = (c: string) => c.repeat(64);
const art = (name: string, c: string, kind: 'binary' | 'library' = 'binary') => ({ name, kind, size: 10, sha256: D(c) });

const consensus = buildRecord('bllvm-consensus', [art('libbllvm_consensus.rlib', 'a', 'library')]);
const protocol = buildRecord('bllvm-protocol', [art('libbllvm_protocol.rlib', 'b', 'library')], {
  upstream: { 'bllvm-consensus': consensus.commit },
});
const gov = buildRecord('governance-app', [art('governance-app', 'c'), art('key-manager', 'd')], {
  upstream: { 'bllvm-protocol': protocol.commit },
  features: ['production', 'governance'],
});
const image: ImageRecord = {
  component: 'governance-app',
  image: `ghcr.io/btcdecoded/governance-app:${gov.commit}`,
  tags: [gov.commit],
  imageId: `sha256:${D('e')}`,
  labels: {},
  archive: { name: 'image.oci.tar', size: 99, sha256: D('f') },
  commit: gov.commit,
  builtAt: '2026-11-27T02:00:00Z',
};

function input(over: Partial<ReleaseManifestInput> = {}): ReleaseManifestInput {
  return {
    tag: 'nightly-20261127-0123456',
    orchestratorCommit: ORCH,
    createdAt: '2026-11-27T03:04:05Z',
    components: [
      { buildRecord: consensus, archive: { name: 'c.tar.gz', size: 1, sha256: D('1') } },
      { buildRecord: protocol, archive: { name: 'p.tar.gz', size: 2, sha256: D('2') } },
      { buildRecord: gov, archive: { name: 'g.tar.gz', size: 3, sha256: D('3') }, image: { record: image, archive: { name: 'g.oci.tar', size: 99, sha256: D('4') } } },
    ],
    ...over,
  };
}

describe('buildReleaseManifest', () => {
  it('records what a rebuilder needs: the profile, target and settings of each build, and the archiver', () => {
    const settings = { sourceDateEpoch: 1700000000, cargo: 'cargo 1.88.0', rustflags: ['--remap-path-prefix=/toolchain=/rust'], command: ['cargo', 'build'], sandbox: { target: '/target' } };
    const built = { ...consensus, target: 'x86_64-unknown-linux-gnu', settings };
    const m = buildReleaseManifest(input({ archiver: { zlib: '1.3', gzipLevel: 9 }, components: [{ buildRecord: built, archive: { name: 'c.tar.gz', size: 1, sha256: D('1') } }] }));
    expect(m.components[0]!.build).toEqual({ profile: 'release', target: 'x86_64-unknown-linux-gnu', settings });
    expect(m.archiver).toEqual({ zlib: '1.3', gzipLevel: 9 });
    expect(buildReleaseManifest(input())).not.toHaveProperty('archiver');
    expect(buildReleaseManifest(input()).components[0]).not.toHaveProperty('build');
  });

  it('describes a nightly as a prerelease, components in the given order', () => {
    const m = buildReleaseManifest(input());
    expect(m).toMatchObject({ schema: 1, tag: 'nightly-20261127-0123456', kind: 'nightly', prerelease: true, orchestratorCommit: ORCH, createdAt: '2026-11-27T03:04:05.000Z' });
    expect(m.components.map((c) => c.component)).toEqual(['bllvm-consensus', 'bllvm-protocol', 'governance-app']);
    expect(m.components[2]).toEqual({
      component: 'governance-app',
      repository: 'BTCDecoded/governance-app',
      branch: 'main',
      commit: gov.commit,
      version: '0.1.0',
      toolchain: gov.toolchain,
      features: ['production', 'governance'],
      artifacts: [
        { name: 'governance-app', size: 10, sha256: D('c') },
        { name: 'key-manager', size: 10, sha256: D('d') },
      ],
      archive: { name: 'g.tar.gz', size: 3, sha256: D('3') },
      image: { image: image.image, imageId: image.imageId, archive: { name: 'g.oci.tar', size: 99, sha256: D('4') } },
    });
    expect(m.components[0]).not.toHaveProperty('image');
  });

  it('describes a vX.Y.Z tag as a full release', () => {
    const m = buildReleaseManifest(input({ tag: 'v0.1.0' }));
    expect(m.kind).toBe('release');
    expect(m.prerelease).toBe(false);
  });

  it('copies record arrays instead of sharing them', () => {
    const m = buildReleaseManifest(input());
    m.components[0]!.features.push('x');
    expect(consensus.features).toEqual(['production']);
  });

  it('serializes to stable bytes', () => {
    const a = serializeReleaseManifest(buildReleaseManifest(input({ createdAt: new Date('2026-11-27T03:04:05Z') })));
    const b = serializeReleaseManifest(buildReleaseManifest(input()));
    expect(a).toBe(b);
    expect(a.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(a))).toEqual(['schema', 'tag', 'kind', 'prerelease', 'orchestratorCommit', 'createdAt', 'components']);
  });

  it.each([
    [{ tag: 'nightly-20261127-fffffff' }, /names orchestrator commit fffffff/],
    [{ tag: 'v1.2' }, /not a release tag/],
    [{ orchestratorCommit: 'abc' }, /40-hex/],
    [{ createdAt: 'yesterday' }, /not a date/],
    [{ components: [] }, /at least one component/],
  ])('rejects %j', (over, message) => {
    expect(() => buildReleaseManifest(input(over as Partial<ReleaseManifestInput>))).toThrow(message);
  });

  it('rejects an image built from another commit than the binaries', () => {
    const base = input();
    const bad = { ...image, commit: fakeSha('other') };
    const components = [...base.components.slice(0, 2), { ...base.components[2]!, image: { record: bad, archive: base.components[2]!.image!.archive } }];
    expect(() => buildReleaseManifest({ ...base, components })).toThrow(/image was built from/);
  });

  it('lists a library\'s crate: name, version, the .crate\'s size and sha256 (the registry\'s checksum), the commit and tag packaged', () => {
    const crate = { component: 'bllvm-consensus', crate: 'blvm-consensus', version: '0.3.0', file: 'blvm-consensus-0.3.0.crate', size: 42, sha256: D('9'), commit: consensus.commit, tag: 'v0.3.0', dependsOn: ['serde'] };
    const base = input();
    const m = buildReleaseManifest({ ...base, components: [{ ...base.components[0]!, crate }, ...base.components.slice(1)] });
    expect(m.components[0]!.crate).toEqual({ name: 'blvm-consensus', version: '0.3.0', file: 'blvm-consensus-0.3.0.crate', size: 42, sha256: D('9'), commit: consensus.commit, tag: 'v0.3.0' });
    expect(m.components[1]).not.toHaveProperty('crate');
    const other = fakeSha('other');
    expect(() => buildReleaseManifest({ ...base, components: [{ ...base.components[0]!, crate: { ...crate, commit: other } }] })).toThrow(
      `bllvm-consensus: crate blvm-consensus 0.3.0 was packaged from ${other}, binaries built from ${consensus.commit}`,
    );
    expect(() => buildReleaseManifest({ ...base, components: [{ ...base.components[0]!, crate: { ...crate, component: 'x' } }] })).toThrow('crate record is for x, not bllvm-consensus');
  });

  it('lists a develop set\'s crate packaged from its release commit on the built commit, and only on that one', () => {
    const release = fakeSha('release');
    const crate = { component: 'bllvm-consensus', crate: 'blvm-consensus', version: '0.3.1-dev.2', file: 'blvm-consensus-0.3.1-dev.2.crate', size: 42, sha256: D('9'), commit: release, tag: 'v0.3.1-dev.2', dependsOn: [] };
    const base = input();
    const m = buildReleaseManifest({ ...base, components: [{ ...base.components[0]!, crate, crateBase: consensus.commit }, ...base.components.slice(1)] });
    expect(m.components[0]!.crate).toMatchObject({ version: '0.3.1-dev.2', commit: release, tag: 'v0.3.1-dev.2' });
    expect(() => buildReleaseManifest({ ...base, components: [{ ...base.components[0]!, crate, crateBase: fakeSha('elsewhere') }] })).toThrow(/was packaged from/);
  });

  it('rejects a bad staged digest', () => {
    const base = input();
    const components = [{ ...base.components[0]!, archive: { name: 'c', size: 1, sha256: 'nope' } }];
    expect(() => buildReleaseManifest({ ...base, components })).toThrow(/not 64 lowercase hex/);
  });
});

describe('releaseSetProblems', () => {
  it('accepts a consistent set', () => {
    expect(releaseSetProblems([consensus, protocol, gov])).toEqual([]);
  });

  it('finds a component built against an upstream commit the release does not ship', () => {
    const stale: BuildRecord = { ...protocol, upstream: { 'bllvm-consensus': fakeSha('old consensus') } };
    expect(releaseSetProblems([consensus, stale])).toEqual([
      expect.stringMatching(/^bllvm-protocol was built against bllvm-consensus@[0-9a-f]{7}, but this release ships bllvm-consensus@[0-9a-f]{7}$/),
    ]);
  });

  it('ignores upstreams that are not part of the set', () => {
    expect(releaseSetProblems([protocol])).toEqual([]);
  });

  it('reports every malformed record field', () => {
    const bad = {
      ...consensus,
      commit: 'HEAD',
      repository: 'not a repo',
      artifacts: [art('../evil', 'a'), art('x', 'a'), art('x', 'a')],
    };
    const problems = releaseSetProblems([bad, bad, { ...consensus, component: 'Bad Name' }]);
    expect(problems.join('\n')).toMatch(/appears twice/);
    expect(problems.join('\n')).toMatch(/commit "HEAD" is not 40-hex/);
    expect(problems.join('\n')).toMatch(/repository/);
    expect(problems.join('\n')).toMatch(/"\.\.\/evil" is not a plain file name/);
    expect(problems.join('\n')).toMatch(/artifact x listed twice/);
    expect(problems.join('\n')).toMatch(/"Bad Name"/);
    expect(releaseSetProblems([{ ...consensus, artifacts: [] }])).toEqual(['bllvm-consensus: build record lists no artifacts']);
  });
});
