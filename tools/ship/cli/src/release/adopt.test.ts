import { describe, expect, it } from 'vitest';
import { type Component, type Pin, componentDist } from '@bllvm/manifest';
import { adoptAsImport } from './adopt';

const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);

function component(id: string, pin: Pin): Component {
  return {
    id, projectRoot: `apps/${id}`, pinFile: `/w/apps/${id}/pin.toml`, pin, repository: pin.repository,
    checkoutFolder: pin.repository.split('/')[1]!, crate: { dir: pin.crateDir ?? '.', name: pin.crate }, formerNames: pin.formerNames ?? [],
    dependencies: [], kinds: ['library'], dist: componentDist('/w/dist', id),
  };
}

describe('adoptAsImport: a followed pin is what import would write', () => {
  const app = component('governance-app', { repository: 'BTCDecoded/bllvm-commons', branch: 'main', commit: OLD, crate: 'bllvm-commons', crateDir: 'bllvm-commons', formerNames: ['bllvm-governance'] });
  const binary = component('bllvm', { repository: 'BTCDecoded/bllvm', branch: 'main', commit: OLD, crate: 'bllvm' });
  const adopt = adoptAsImport([app, binary]);

  it('takes the new repository, crate and folder, and keeps the names left behind as former names', () => {
    expect(adopt('governance-app', app.pin, { repository: 'BTCDecoded/blvm-commons', branch: 'main', commit: NEW, crate: 'blvm-commons', crateDir: '.' })).toEqual({
      repository: 'BTCDecoded/blvm-commons', branch: 'main', commit: NEW, crate: 'blvm-commons', formerNames: ['bllvm-governance', 'bllvm-commons'],
    });
    expect(adopt('governance-app', app.pin, { repository: 'BTCDecoded/blvm-commons', branch: 'main', commit: NEW, crate: 'blvm-commons', crateDir: 'blvm-commons' })).toMatchObject({ crateDir: 'blvm-commons' });
  });

  it('starts from the pin it is given (the one read in this attempt), and records no former name that is the component id', () => {
    const moved = { ...binary.pin, commit: 'c'.repeat(40) };
    expect(adopt('bllvm', moved, { repository: 'BTCDecoded/blvm', branch: 'main', commit: NEW, crate: 'blvm', crateDir: '.' })).toEqual({
      repository: 'BTCDecoded/blvm', branch: 'main', commit: NEW, crate: 'blvm',
    });
    expect(() => adopt('bllvm-wallet', moved, { repository: 'BTCDecoded/x', branch: 'main', commit: NEW, crate: 'x', crateDir: '.' })).toThrow(/no such component/);
  });
});
