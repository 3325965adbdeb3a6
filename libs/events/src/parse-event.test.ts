import { describe, expect, it } from 'vitest';
import { parseEvent } from './parse-event';
import { fixtureStack } from './stack-fixture';

/** The seed's stack: six components, each in a repository of its own name. */
const COMPONENTS = fixtureStack({
  'bllvm-consensus': { repo: 'bllvm-consensus', deps: [] },
  'bllvm-protocol': { repo: 'bllvm-protocol', deps: ['bllvm-consensus'] },
  'bllvm-node': { repo: 'bllvm-node', deps: ['bllvm-protocol'] },
  bllvm: { repo: 'bllvm', deps: ['bllvm-node'] },
  'bllvm-sdk': { repo: 'bllvm-sdk', deps: ['bllvm-node'] },
  'governance-app': { repo: 'governance-app', deps: ['bllvm-protocol', 'bllvm-sdk'] },
});
const SHA = '0123456789abcdef0123456789abcdef01234567';
const dispatch = (action: unknown, client_payload: unknown) => ({ action, client_payload, repository: { full_name: 'BTCDecoded/bllvm' } });

function rejection(name: string | undefined, event: unknown): string {
  try {
    parseEvent(name, event, COMPONENTS);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the event to be rejected');
}

describe('parseEvent', () => {
  it('reads component-updated', () => {
    expect(parseEvent('repository_dispatch', dispatch('component-updated', { component: 'bllvm', sha: SHA, ref: 'refs/heads/main' }), COMPONENTS)).toEqual({
      kind: 'move-pin', component: 'bllvm', sha: SHA, ref: 'main', force: false, source: 'repository_dispatch component-updated',
    });
  });

  it.each([
    ['build_consensus', 'bllvm-consensus'],
    ['build_protocol', 'bllvm-protocol'],
    ['build_node', 'bllvm-node'],
    ['build_sdk', 'bllvm-sdk'],
    ['build_governance', 'governance-app'],
  ])('reads the legacy %s as a move of %s', (type, component) => {
    const action = parseEvent(undefined, dispatch(type, { triggered_by: component, source_ref: 'main', source_sha: SHA, version: '0.1.0' }), COMPONENTS);
    expect(action).toMatchObject({ kind: 'move-pin', component, sha: SHA, ref: 'main' });
  });

  it('reads build_all, schedule and an empty workflow_dispatch as a refresh of every pin', () => {
    expect(parseEvent(undefined, dispatch('build_all', { nightly: true, version: 'nightly' }), COMPONENTS).kind).toBe('refresh-all');
    expect(parseEvent('schedule', { schedule: '0 2 * * *' }, COMPONENTS).kind).toBe('refresh-all');
    expect(parseEvent('workflow_dispatch', { inputs: {} }, COMPONENTS).kind).toBe('refresh-all');
  });

  it('reads workflow_dispatch inputs, with force as the string the UI sends', () => {
    expect(parseEvent('workflow_dispatch', { inputs: { component: 'bllvm-node', sha: SHA, force: 'true' } }, COMPONENTS)).toMatchObject({
      kind: 'move-pin', component: 'bllvm-node', force: true,
    });
  });

  it.each([
    ['an unknown event type', dispatch('build_everything', {}), /unknown event type "build_everything"/],
    ['an unknown component', dispatch('component-updated', { component: 'bllvm-wallet', sha: SHA }), /unknown component "bllvm-wallet"/],
    ['path traversal in the component', dispatch('component-updated', { component: '../../etc', sha: SHA }), /unknown component "\.\.\/\.\.\/etc"/],
    ['a look-alike component name', dispatch('component-updated', { component: 'bllvm-n\u043ede', sha: SHA }), /unknown component "bllvm-n\\u\{43e\}de"/],
    ['a short sha', dispatch('component-updated', { component: 'bllvm', sha: SHA.slice(0, 39) }), /is not a 40-character lowercase hex/],
    ['a long sha', dispatch('component-updated', { component: 'bllvm', sha: SHA + '0' }), /is not a 40-character/],
    ['an uppercase sha', dispatch('component-updated', { component: 'bllvm', sha: SHA.toUpperCase() }), /is not a 40-character/],
    ['a sha that is a number', dispatch('build_node', { source_sha: 123 }), /source_sha is missing or not a string/],
    ['a missing sha', dispatch('build_node', { source_ref: 'main' }), /source_sha is missing/],
    ['a ref with a shell command', dispatch('build_node', { source_sha: SHA, source_ref: 'main; rm -rf /' }), /source_ref ".*" contains characters outside/],
    ['$(...) in the ref', dispatch('component-updated', { component: 'bllvm', sha: SHA, ref: '$(id)' }), /contains characters outside/],
    ['$(...) in the sha', dispatch('component-updated', { component: 'bllvm', sha: '$(curl evil)' }), /is not a 40-character/],
    ['an expression in the component', dispatch('component-updated', { component: '${{ secrets.TOKEN }}', sha: SHA }), /unknown component/],
    ['backticks in triggered_by', dispatch('build_sdk', { triggered_by: '`id`', source_sha: SHA }), /triggered_by "`id`" does not match/],
    ['an unexpected key', dispatch('component-updated', { component: 'bllvm', sha: SHA, extra: 1 }), /unexpected key "extra"/],
    ['an unexpected legacy key', dispatch('build_protocol', { source_sha: SHA, run: 'x' }), /unexpected key "run"/],
    ['an oversized payload', dispatch('component-updated', { component: 'bllvm', sha: SHA, ref: 'a'.repeat(5000) }), /larger than 4096 bytes/],
    ['an overlong field', dispatch('build_node', { source_sha: SHA, version: 'v'.repeat(300) }), /version is longer than 256/],
    ['a payload that is an array', dispatch('component-updated', []), /client_payload is not an object/],
    ['a missing action', { client_payload: {} }, /"action" \(the event_type\) is missing/],
    ['a ref starting with -', dispatch('component-updated', { component: 'bllvm', sha: SHA, ref: '--upload-pack=x' }), /characters outside|starts with "-"/],
    ['force of the wrong type', dispatch('component-updated', { component: 'bllvm', sha: SHA, force: 'yes' }), /force must be a boolean/],
    ['a workflow_dispatch sha without component', { inputs: { sha: SHA } }, /sha given without component/],
  ])('rejects %s', (_n, event, message) => {
    expect(rejection(undefined, event)).toMatch(message);
  });

  it('rejects payloads that are not objects and unsupported events', () => {
    expect(rejection('repository_dispatch', null)).toMatch(/not a JSON object/);
    expect(rejection('push', { ref: 'refs/heads/main' })).toMatch(/unsupported event "push"/);
    expect(rejection(undefined, { hello: 1 })).toMatch(/cannot tell the event type/);
  });
});
