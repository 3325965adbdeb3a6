import { describe, expect, it } from 'vitest';
import type { Pin } from '@bllvm/manifest';
import { type AdoptPin, type CheckedMove, type RenameFacts, adoptCommand, aloneAcross, decideRename, followOrRefuse, renameRefusal } from './follow-rename';

const TO = 'b'.repeat(40);
const FROM = 'a'.repeat(40);

/** The node crossing the rename: bllvm-node at the root, now blvm-node (REAL-STACK §1). */
const node = (over: Partial<RenameFacts> = {}): RenameFacts => ({
  component: 'bllvm-node',
  pin: { repository: 'BTCDecoded/bllvm-node', crate: 'bllvm-node' },
  to: TO,
  repository: 'BTCDecoded/blvm-node',
  packages: [{ dir: '.', name: 'blvm-node' }, { dir: 'examples/simple-module', name: 'simple-module' }],
  ...over,
});

describe('decideRename: nothing to do', () => {
  it('is an ordinary move when the repository answers to its own name and the crate is where the pin says, named as it says', () => {
    expect(decideRename(node({ repository: 'BTCDecoded/bllvm-node', packages: [{ dir: '.', name: 'bllvm-node' }] }))).toEqual({ kind: 'same' });
    // A pin that names no crate takes whatever the folder holds, renamed or not.
    expect(decideRename(node({ pin: { repository: 'BTCDecoded/bllvm-node' }, pinnedCrate: 'bllvm-node', repository: 'BTCDecoded/bllvm-node', packages: [{ dir: '.', name: 'renamed' }] }))).toEqual({ kind: 'same' });
  });
});

describe('decideRename: follow', () => {
  it('follows a repository renamed with its crate: the new repository, the crate named after it, its folder', () => {
    expect(decideRename(node())).toEqual({ kind: 'follow', component: 'bllvm-node', repository: 'BTCDecoded/blvm-node', crate: 'blvm-node', crateDir: '.' });
  });

  it('follows the app whose subfolder was renamed with the repository, and later moved to the root', () => {
    const app = (packages: RenameFacts['packages']) =>
      decideRename({ component: 'governance-app', pin: { repository: 'BTCDecoded/bllvm-commons', crate: 'bllvm-commons', crateDir: 'bllvm-commons' }, to: TO, repository: 'BTCDecoded/blvm-commons', packages });
    expect(app([{ dir: 'blvm-commons', name: 'blvm-commons' }])).toMatchObject({ kind: 'follow', crate: 'blvm-commons', crateDir: 'blvm-commons' });
    expect(app([{ dir: '.', name: 'blvm-commons' }])).toMatchObject({ kind: 'follow', crate: 'blvm-commons', crateDir: '.' });
  });

  it('follows a crate that moved or was renamed without a repository rename, and a crate that kept its name across one', () => {
    const moved = { component: 'governance-app', pin: { repository: 'BTCDecoded/blvm-commons', crate: 'blvm-commons', crateDir: 'blvm-commons' }, to: TO, repository: 'BTCDecoded/blvm-commons' };
    expect(decideRename({ ...moved, packages: [{ dir: '.', name: 'blvm-commons' }] })).toMatchObject({ kind: 'follow', repository: 'BTCDecoded/blvm-commons', crateDir: '.' });
    expect(decideRename(node({ repository: 'BTCDecoded/bllvm-node', packages: [{ dir: '.', name: 'node-core' }] }))).toMatchObject({ kind: 'follow', crate: 'node-core', crateDir: '.' });
    expect(decideRename(node({ packages: [{ dir: '.', name: 'bllvm-node' }] }))).toMatchObject({ kind: 'follow', repository: 'BTCDecoded/blvm-node', crate: 'bllvm-node' });
  });

  it('reads the old name from the pinned commit when the pin does not name its crate', () => {
    expect(decideRename(node({ pin: { repository: 'BTCDecoded/bllvm-node' }, pinnedCrate: 'bllvm-node', packages: [{ dir: 'crates/blvm-node', name: 'blvm-node' }] }))).toMatchObject({
      kind: 'follow',
      crateDir: 'crates/blvm-node',
    });
  });
});

describe('decideRename: refuse', () => {
  it('refuses two candidates: one keeping the old name, one named after the new repository', () => {
    const d = decideRename(node({ packages: [{ dir: '.', name: 'blvm-node' }, { dir: 'bllvm-node', name: 'bllvm-node' }] }));
    expect(d).toEqual({
      kind: 'refuse',
      component: 'bllvm-node',
      repository: 'BTCDecoded/blvm-node',
      reason: `at bbbbbbb 2 packages could continue bllvm-node (in the root): blvm-node in the root, bllvm-node in bllvm-node/`,
    });
  });

  it('refuses a crate that vanished: no package of either name, none in its folder or the renamed one', () => {
    const d = decideRename({
      component: 'governance-app',
      pin: { repository: 'BTCDecoded/bllvm-commons', crate: 'bllvm-commons', crateDir: 'bllvm-commons' },
      to: TO,
      repository: 'BTCDecoded/blvm-commons',
      packages: [{ dir: 'server', name: 'commons-server' }, { dir: 'cli', name: 'commons-cli' }],
    });
    expect(d).toMatchObject({ kind: 'refuse', reason: 'at bbbbbbb no package continues bllvm-commons (in bllvm-commons/): none is named bllvm-commons or blvm-commons, and bllvm-commons/ and blvm-commons/ hold none' });
  });
});

describe('followOrRefuse and the refusal', () => {
  const pin = (repository: string, crate: string): Pin => ({ repository, branch: 'main', commit: FROM, crate });
  const checked = (component: string, old: string, now: string, packages: RenameFacts['packages']): CheckedMove => {
    const p = pin(`BTCDecoded/${old}`, old);
    return { move: { component, from: FROM, to: TO }, pin: p, repository: `BTCDecoded/${now}`, decision: decideRename({ component, pin: p, to: TO, repository: `BTCDecoded/${now}`, packages }) };
  };
  const adopt: AdoptPin = (_id, from, to) => ({ ...from, repository: to.repository, commit: to.commit, crate: to.crate, formerNames: ['recorded'] });
  const plain: CheckedMove = { move: { component: 'blvm-muhash', from: FROM, to: TO }, pin: pin('BTCDecoded/blvm-muhash', 'blvm-muhash'), repository: 'BTCDecoded/blvm-muhash', decision: { kind: 'same' } };

  it('gives a followed move the pin the adopter writes, and leaves an ordinary move as it is', () => {
    const moves = followOrRefuse([plain, checked('bllvm-node', 'bllvm-node', 'blvm-node', [{ dir: '.', name: 'blvm-node' }])], adopt);
    expect(moves).toEqual([
      { component: 'blvm-muhash', from: FROM, to: TO },
      { component: 'bllvm-node', from: FROM, to: TO, adopted: { repository: 'BTCDecoded/blvm-node', branch: 'main', commit: TO, crate: 'blvm-node', formerNames: ['recorded'] } },
    ]);
    expect(followOrRefuse([], adopt)).toEqual([]);
  });

  it('refuses all when one is ambiguous, in one line naming it and the import of every crossing pin', () => {
    const run = () =>
      followOrRefuse(
        [
          plain,
          checked('bllvm-protocol', 'bllvm-protocol', 'blvm-protocol', [{ dir: '.', name: 'blvm-protocol' }]),
          checked('bllvm-node', 'bllvm-node', 'blvm-node', [{ dir: '.', name: 'blvm-node' }, { dir: 'bllvm-node', name: 'bllvm-node' }]),
        ],
        () => {
          throw new Error('nothing is adopted when the moves are refused');
        },
      );
    expect(run).toThrow(
      'bllvm-node: BTCDecoded/bllvm-node is now BTCDecoded/blvm-node (the old name redirects), and at bbbbbbb 2 packages could continue bllvm-node (in the root): ' +
        'blvm-node in the root, bllvm-node in bllvm-node/; no pin was moved. Adopt them together with: ' +
        'npm run cli -- import BTCDecoded/blvm-protocol=bllvm-protocol BTCDecoded/blvm-node=bllvm-node',
    );
    expect(run).not.toThrow(/\n/);
  });

  it('refuses one pin crossing alone when others were renamed too, naming them in the command', () => {
    const lone = checked('bllvm-consensus', 'bllvm-consensus', 'blvm-consensus', [{ dir: '.', name: 'blvm-consensus' }]);
    const others = [{ component: 'bllvm-protocol', from: 'BTCDecoded/bllvm-protocol', repository: 'BTCDecoded/blvm-protocol' }];
    expect(aloneAcross(lone, [])).toBe(lone);
    expect(() => followOrRefuse([aloneAcross(lone, others)], adopt, others)).toThrow(
      /^bllvm-consensus: BTCDecoded\/bllvm-consensus is now BTCDecoded\/blvm-consensus \(the old name redirects\), and bllvm-protocol \(BTCDecoded\/bllvm-protocol is now BTCDecoded\/blvm-protocol\) was renamed too, .*; no pin was moved\. Adopt them together with: npm run cli -- import BTCDecoded\/blvm-consensus=bllvm-consensus BTCDecoded\/blvm-protocol=bllvm-protocol$/,
    );
  });

  it('says "it" for a single crossing without a rename, and builds the command from repository=component pairs', () => {
    const refused = { kind: 'refuse' as const, component: 'governance-app', repository: 'BTCDecoded/blvm-commons', reason: 'at bbbbbbb no package continues it' };
    expect(renameRefusal([refused], [{ component: 'governance-app', from: 'BTCDecoded/blvm-commons', repository: 'BTCDecoded/blvm-commons' }])).toBe(
      'governance-app: at bbbbbbb no package continues it; no pin was moved. Adopt it with: npm run cli -- import BTCDecoded/blvm-commons=governance-app',
    );
    expect(adoptCommand([{ component: 'a', repository: 'O/x' }, { component: 'b', repository: 'O/y' }])).toBe('npm run cli -- import O/x=a O/y=b');
  });
});
