import { describe, expect, it } from 'vitest';
import type { ComponentChangelog } from './changelog';
import { buildReleaseManifest, type ReleaseManifest } from './manifest';
import { renderReleaseNotes } from './notes';
import { buildRecord, fakeSha } from './testing';

const ORCH = '0123456789abcdef0123456789abcdef01234567';
const D = (c: string) => c.repeat(64);
const names = ['bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm', 'bllvm-sdk'];

function manifest(tag = 'nightly-20261127-0123456'): ReleaseManifest {
  return buildReleaseManifest({
    tag,
    orchestratorCommit: ORCH,
    createdAt: '2026-11-27T03:00:00Z',
    components: names.map((n, i) => ({
      buildRecord: buildRecord(n, [{ name: n, kind: 'binary', size: 1, sha256: D(String(i)) }]),
      archive: { name: `${n}-${tag}-linux-x86_64.tar.gz`, size: 1, sha256: D(String(i + 5)) },
    })),
  });
}

const cur = (n: string) => fakeSha(n);
const prev = (n: string) => fakeSha(`prev ${n}`);

const changelog: ComponentChangelog[] = [
  {
    component: 'bllvm-consensus',
    repository: 'BTCDecoded/bllvm-consensus',
    current: cur('bllvm-consensus'),
    previous: prev('bllvm-consensus'),
    status: 'changed',
    commits: [
      { sha: fakeSha('c1'), subject: 'Tighten script checks (#7)', author: 'Ann' },
      { sha: fakeSha('c2'), subject: '<script>x</script> [a](javascript:alert(1)) | b', author: '<b>Eve</b>' },
    ],
  },
  { component: 'bllvm-protocol', repository: 'BTCDecoded/bllvm-protocol', current: cur('bllvm-protocol'), previous: cur('bllvm-protocol'), status: 'unchanged' },
  { component: 'bllvm-node', repository: 'BTCDecoded/bllvm-node', current: cur('bllvm-node'), previous: prev('bllvm-node'), status: 'diverged' },
  { component: 'bllvm', repository: 'BTCDecoded/bllvm', current: cur('bllvm'), previous: prev('bllvm'), status: 'previous-missing' },
  { component: 'bllvm-sdk', repository: 'BTCDecoded/bllvm-sdk', current: cur('bllvm-sdk'), status: 'new' },
];

describe('renderReleaseNotes', () => {
  const notes = renderReleaseNotes({ manifest: manifest(), changelog, previousTag: 'nightly-20261126-abcdef0', orchestratorRepository: 'BTCDecoded/bllvm-release' });

  it('heads with the tag, the kind and the orchestrator commit', () => {
    expect(notes.startsWith('# bllvm nightly-20261127-0123456\n')).toBe(true);
    expect(notes).toContain('Nightly prerelease');
    expect(notes).toContain(`[\`0123456\`](https://github.com/BTCDecoded/bllvm-release/commit/${ORCH})`);
    expect(notes).toContain('Changes since nightly-20261126-abcdef0.');
  });

  it('summarises every component in one table row, in graph order', () => {
    const rows = notes.split('\n').filter((l) => l.startsWith('| bllvm'));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(names.map((n) => `| ${n}`));
    expect(rows.map((r) => r.split(' | ')[3])).toEqual(['2 commits |', 'unchanged |', 'history rewritten |', 'previous commit missing |', 'new |']);
  });

  it('lists commits with short sha links and a compare link', () => {
    const [p, c] = [prev('bllvm-consensus'), cur('bllvm-consensus')];
    expect(notes).toContain(`[Compare \`${p.slice(0, 7)}...${c.slice(0, 7)}\`](https://github.com/BTCDecoded/bllvm-consensus/compare/${p}...${c})`);
    expect(notes).toContain(
      `- Tighten script checks \\([BTCDecoded/bllvm-consensus#7](https://github.com/BTCDecoded/bllvm-consensus/issues/7)\\) ([\`${fakeSha('c1').slice(0, 7)}\`](https://github.com/BTCDecoded/bllvm-consensus/commit/${fakeSha('c1')})) by Ann`,
    );
  });

  it('keeps hostile subjects and authors inert', () => {
    expect(notes).not.toMatch(/<script|<b>/);
    expect(notes).not.toContain('](javascript');
    const line = notes.split('\n').find((l) => l.includes('javascript'))!;
    expect(line).toMatch(/^- &lt;script&gt;x&lt;\/script&gt; \\\[a\\\]\\\(javascript\\:alert\\\(1\\\)\\\) \\\| b \(/);
    expect(line).toMatch(/by &lt;b&gt;Eve&lt;\/b&gt;$/);
  });

  it('says which components are new, unchanged, rewritten or lost', () => {
    const link = (n: string) => `[\`${cur(n).slice(0, 7)}\`](https://github.com/BTCDecoded/${n}/commit/${cur(n)})`;
    expect(notes).toContain(`new: first release at ${link('bllvm-sdk')}.`);
    expect(notes).toContain(`unchanged at ${link('bllvm-protocol')}.`);
    expect(notes).toContain(`History rewritten: the previous release's commit \`${prev('bllvm-node').slice(0, 7)}\` is not an ancestor of ${link('bllvm-node')}`);
    expect(notes).toContain(`compare/${prev('bllvm-node')}...${cur('bllvm-node')}`);
    expect(notes).toContain(`commit \`${prev('bllvm').slice(0, 7)}\` is no longer in the repository`);
    expect(notes).not.toContain(`compare/${prev('bllvm')}`);
  });

  it('lists the assets with their digests', () => {
    expect(notes).toContain(`| \`bllvm-sdk-nightly-20261127-0123456-linux-x86_64.tar.gz\` | \`${D('9')}\` |`);
    expect(notes).toContain('sha256sum -c SHA256SUMS');
  });

  it('is deterministic', () => {
    expect(renderReleaseNotes({ manifest: manifest(), changelog, previousTag: 'nightly-20261126-abcdef0', orchestratorRepository: 'BTCDecoded/bllvm-release' })).toBe(notes);
  });

  it('says when no changelog was collected rather than implying no changes', () => {
    const text = renderReleaseNotes({ manifest: manifest('v0.1.0') });
    expect(text).toContain('Release v0.1.0 of the bllvm stack.');
    expect(text).toContain('`0123456`');
    expect(text.match(/changelog not collected/g)).toHaveLength(5);
    expect(text).not.toContain('Changes since');
  });

  it('says when there is no previous release', () => {
    const text = renderReleaseNotes({ manifest: manifest(), changelog: changelog.filter((c) => c.status === 'new') });
    expect(text).toContain('No previous release');
  });

  it('leaves long lists to the compare link', () => {
    const many = { ...changelog[0]!, commits: Array.from({ length: 5 }, (_, i) => ({ sha: fakeSha(`m${i}`), subject: `c${i}`, author: 'a' })) } as ComponentChangelog;
    const text = renderReleaseNotes({ manifest: manifest(), changelog: [many], maxCommitsPerComponent: 2 });
    expect(text.match(/^- c\d/gm)).toHaveLength(2);
    expect(text).toContain('- … and 3 more: see the comparison.');
  });

  it('notes a range with only merge commits', () => {
    const merges = { ...changelog[0]!, commits: [] } as ComponentChangelog;
    expect(renderReleaseNotes({ manifest: manifest(), changelog: [merges] })).toContain('Only merge commits since');
  });

  it('names each component\'s crate version when the release publishes crates, and how to depend on a pre-release', () => {
    const crates = [
      { component: 'bllvm-consensus', crate: 'blvm-consensus', version: '0.1.5-dev.3' },
      { component: 'bllvm-node', crate: 'blvm-node', version: '0.1.1-dev.1' },
    ];
    const text = renderReleaseNotes({ manifest: manifest(), crates });
    expect(text).toContain('## Crates\n\n| Component | Crate | Version |\n| --- | --- | --- |\n| bllvm-consensus | `blvm-consensus` | `0.1.5-dev.3` |\n| bllvm-node | `blvm-node` | `0.1.1-dev.1` |\n\nPre-release versions:');
    expect(text.indexOf('## Crates')).toBeLessThan(text.indexOf('## Changes'));
    const official = renderReleaseNotes({ manifest: manifest('v0.2.0'), crates: [{ ...crates[0]!, version: '0.1.5' }] });
    expect(official).toContain('| bllvm-consensus | `blvm-consensus` | `0.1.5` |');
    expect(official).not.toContain('Pre-release versions');
    expect(renderReleaseNotes({ manifest: manifest() })).not.toContain('## Crates');
  });

  it('refuses a changelog that does not end at the shipped commit or names an unknown component', () => {
    expect(() => renderReleaseNotes({ manifest: manifest(), changelog: [{ ...changelog[4]!, current: fakeSha('elsewhere') }] })).toThrow(/ends at/);
    expect(() => renderReleaseNotes({ manifest: manifest(), changelog: [{ ...changelog[4]!, component: 'governance-app' }] })).toThrow(/does not ship/);
    expect(() => renderReleaseNotes({ manifest: manifest(), changelog: [{ ...changelog[4]!, repository: 'x/y)(z' }] })).toThrow(/repository/);
  });
});
