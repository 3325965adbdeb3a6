import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseEvent } from './parse-event';
import { fixtureStack } from './stack-fixture';

const COMPONENTS = fixtureStack({
  'bllvm-consensus': { repo: 'bllvm-consensus', deps: [] },
  'bllvm-protocol': { repo: 'bllvm-protocol', deps: ['bllvm-consensus'] },
});
const SHA = '0123456789abcdef0123456789abcdef01234567';
const event = (client_payload: unknown) => ({ action: 'pull-request', client_payload });
const rejection = (payload: unknown) => {
  try {
    parseEvent('repository_dispatch', event(payload), COMPONENTS);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the event to be rejected');
};

describe('the pull-request event', () => {
  it('asks for a trial of the component whose repository it names, the number as a JSON number or digits', () => {
    const want = { kind: 'trial', component: 'bllvm-protocol', repository: 'BTCDecoded/bllvm-protocol', pullRequest: 12, sha: SHA, source: 'repository_dispatch pull-request' };
    expect(parseEvent('repository_dispatch', event({ repository: 'BTCDecoded/bllvm-protocol', number: 12, sha: SHA }), COMPONENTS)).toEqual(want);
    expect(parseEvent(undefined, event({ repository: 'BTCDecoded/bllvm-protocol', number: '12', sha: SHA }), COMPONENTS)).toEqual(want);
  });

  it('refuses another repository of the same name, a bad number or sha, and any other key', () => {
    expect(rejection({ repository: 'evil/bllvm-protocol', number: 1, sha: SHA })).toMatch(/^pull-request: unknown component "evil\/bllvm-protocol"/);
    expect(rejection({ repository: 'bllvm-protocol', number: 1, sha: SHA })).toMatch(/^pull-request: repository /);
    expect(rejection({ repository: 'BTCDecoded/bllvm-protocol', number: 0, sha: SHA })).toBe('pull-request: number must be a pull request number (a positive integer)');
    expect(rejection({ repository: 'BTCDecoded/bllvm-protocol', number: '1; rm -rf /', sha: SHA })).toBe('pull-request: number must be a pull request number (a positive integer)');
    expect(rejection({ repository: 'BTCDecoded/bllvm-protocol', number: 1.5, sha: SHA })).toMatch(/number must be/);
    expect(rejection({ repository: 'BTCDecoded/bllvm-protocol', number: 1, sha: 'HEAD' })).toMatch(/^pull-request: sha "HEAD" is not a 40-character lowercase hex commit/);
    expect(rejection({ repository: 'BTCDecoded/bllvm-protocol', number: 1 })).toMatch(/sha is missing/);
    expect(rejection({ repository: 'BTCDecoded/bllvm-protocol', number: 1, sha: SHA, ref: 'main' })).toMatch(/^pull-request: unexpected key "ref" \(allowed: repository, number, sha\)/);
    expect(rejection({ repository: '../x', number: 1, sha: SHA })).toMatch(/^pull-request: repository /);
  });
});

describe('the workflows a pull-request event starts', () => {
  const types = async (file: string) =>
    (parse(await readFile(join(resolve(import.meta.dirname, '../../..'), '.github/workflows', file), 'utf8')) as { on: { repository_dispatch: { types: string[] } } }).on.repository_dispatch.types;

  it('trial.yml alone: orchestrate.yml, which holds the push token, never sees one', async () => {
    expect(await types('trial.yml')).toEqual(['pull-request']);
    expect(await types('orchestrate.yml')).not.toContain('pull-request');
  });
});
