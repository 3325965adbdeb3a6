import { describe, expect, it } from 'vitest';
import type { CrateReport } from '@bllvm/crates';
import type { CrateRecord } from '@bllvm/manifest';
import type { ReleasePlan } from '@bllvm/release';
import { crateLine, cratesJournalFile, notPublishedMessage, releaseCrates, uploadRegistry } from './crates';

const SHA = (c: string) => c.repeat(64);
const record = (component: string, crate: string, dependsOn: string[]): CrateRecord => ({
  component,
  crate,
  version: '0.3.0',
  file: `${crate}-0.3.0.crate`,
  size: 100,
  sha256: SHA(component[0]!),
  commit: 'a'.repeat(40),
  dependsOn,
});
const component = (name: string, crate?: CrateRecord) => ({ name, ...(crate ? { crate: { record: crate, path: `/dist/${name}/crate/${crate.file}` } } : {}) }) as ReleasePlan['components'][number];

describe('the crates of a release plan', () => {
  it('are the components with a packaged crate, in the plan\'s graph order, with their files, checksums and dependencies', () => {
    const plan = {
      components: [
        component('consensus', record('consensus', 'blvm-consensus', ['serde'])),
        component('app'),
        component('node', record('node', 'blvm-node', ['blvm-consensus', 'tokio'])),
      ],
    };
    expect(releaseCrates(plan)).toEqual([
      { name: 'blvm-consensus', version: '0.3.0', crateFile: '/dist/consensus/crate/blvm-consensus-0.3.0.crate', sha256: SHA('c'), dependsOn: ['serde'] },
      { name: 'blvm-node', version: '0.3.0', crateFile: '/dist/node/crate/blvm-node-0.3.0.crate', sha256: SHA('n'), dependsOn: ['blvm-consensus', 'tokio'] },
    ]);
    expect(releaseCrates({ components: [component('app')] })).toEqual([]);
  });

  it('wait for every crate of the release they depend on, optional and dev ones too, even where the component graph has no edge', () => {
    const plan = {
      components: [
        component('consensus', record('consensus', 'blvm-consensus', ['blvm-secp256k1', 'blvm_muhash'])),
        component('node', record('node', 'blvm-node', ['blvm-consensus'])),
        component('secp', record('secp', 'blvm-secp256k1', [])),
        component('muhash', record('muhash', 'blvm-muhash', ['leaf'])),
      ],
    };
    expect(releaseCrates(plan).map((c) => c.name)).toEqual(['blvm-secp256k1', 'blvm-muhash', 'blvm-consensus', 'blvm-node']);
    // A cycle is kept in plan order, for the uploader to refuse naming it.
    const cycle = { components: [component('a', record('a', 'x-a', ['x-b'])), component('b', record('b', 'x-b', ['x-a']))] };
    expect(releaseCrates(cycle).map((c) => c.name)).toEqual(['x-a', 'x-b']);
  });

  it('go to the configured registry, else crates.io, with one journal per release tag under the work dir', () => {
    expect(uploadRegistry(undefined)).toBe('sparse+https://index.crates.io/');
    expect(uploadRegistry('sparse+http://127.0.0.1:9/index/')).toBe('sparse+http://127.0.0.1:9/index/');
    expect(cratesJournalFile('/w/.bllvm', 'v0.4.0')).toBe('/w/.bllvm/crates-journal/v0.4.0.json');
  });
});

describe('what the publish prints of each crate', () => {
  const base: CrateReport = { name: 'blvm-node', version: '0.3.0', sha256: SHA('b'), outcome: 'published', uploadedThisRun: true };

  it('is one line: name, version, checksum and outcome (why, when it is not out)', () => {
    expect(crateLine(base)).toBe(`crate blvm-node 0.3.0 sha256 ${SHA('b')} published`);
    expect(crateLine({ ...base, uploadedThisRun: false })).toBe(`crate blvm-node 0.3.0 sha256 ${SHA('b')} published (by an earlier run)`);
    expect(crateLine({ ...base, outcome: 'already-present', uploadedThisRun: false })).toBe(`crate blvm-node 0.3.0 sha256 ${SHA('b')} already there`);
    expect(crateLine({ ...base, outcome: 'failed', uploadedThisRun: false, reason: 'r: publishing blvm-node 0.3.0 failed: HTTP 500: boom' })).toBe(
      `crate blvm-node 0.3.0 sha256 ${SHA('b')} FAILED: r: publishing blvm-node 0.3.0 failed: HTTP 500: boom`,
    );
    expect(crateLine({ ...base, outcome: 'blocked', uploadedThisRun: false, behind: [{ crate: 'blvm-protocol', reason: 'x' }] })).toBe(`crate blvm-node 0.3.0 sha256 ${SHA('b')} blocked: waits for blvm-protocol`);
  });
});

describe('the message when crates are not all out', () => {
  const report = (failReason: string) => ({
    registry: 'sparse+https://index.crates.io/',
    journalFile: '/w/crates-journal/v1.0.0.json',
    crates: [
      { name: 'a', version: '1.0.0', sha256: SHA('a'), outcome: 'published', uploadedThisRun: true },
      { name: 'b', version: '1.0.0', sha256: SHA('b'), outcome: 'failed', uploadedThisRun: false, reason: failReason },
      { name: 'c', version: '1.0.0', sha256: SHA('c'), outcome: 'blocked', uploadedThisRun: false, behind: [{ crate: 'b', reason: failReason }] },
    ] satisfies CrateReport[],
  });

  it('says how many are out, which are not, that nothing else was published, and that the rerun continues from the journal', () => {
    expect(notPublishedMessage(report('reg: publishing b 1.0.0 failed: HTTP 500: injected 500 (after 4 tries)'))).toBe(
      '1 of 3 crates are on sparse+https://index.crates.io/; not out: b 1.0.0 (FAILED), c 1.0.0 (blocked); nothing else of the release was published; ' +
        'rerun the same command: it uploads only what is not out (journal /w/crates-journal/v1.0.0.json)',
    );
  });

  it('puts a refused token first, naming the variable', () => {
    for (const reason of ['reg: publishing b 1.0.0 failed: HTTP 403: invalid token', 'reg: publishing b 1.0.0 failed: HTTP 401: unauthorized', 'reg: publishing b 1.0.0 failed: no registry token is configured; this action needs one'])
      expect(notPublishedMessage(report(reason))).toMatch(/^sparse\+https:\/\/index\.crates\.io\/ refused the upload token \(BLLVM_CARGO_REGISTRY_TOKEN\): check that it is set, valid and may publish these crates; 1 of 3/);
    expect(notPublishedMessage(report('reg: publishing b 1.0.0 failed: HTTP 4030'))).not.toMatch(/refused the upload token/);
  });
});
