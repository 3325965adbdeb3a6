import { describe, expect, it } from 'vitest';
import { parseEvent } from './parse-event';
import { fixtureStack } from './stack-fixture';

// The stack of late 2026 (REAL-STACK.md): the seed's ids pointed at the renamed repositories, the
// governance app in blvm-commons, four more libraries. Payloads below are exactly what the real
// senders send; the event file GitHub writes carries event_type as `action`.
const REAL = fixtureStack({
  'blvm-primitives': { repo: 'blvm-primitives', deps: [] },
  'blvm-spec-lock': { repo: 'blvm-spec-lock', deps: [] },
  'blvm-secp256k1': { repo: 'blvm-secp256k1', deps: [] },
  'blvm-muhash': { repo: 'blvm-muhash', deps: [] },
  'bllvm-consensus': { repo: 'blvm-consensus', deps: ['blvm-primitives', 'blvm-spec-lock', 'blvm-secp256k1'], former: ['bllvm-consensus'] },
  'bllvm-protocol': { repo: 'blvm-protocol', deps: ['bllvm-consensus', 'blvm-secp256k1'], former: ['bllvm-protocol'] },
  'bllvm-node': { repo: 'blvm-node', deps: ['bllvm-protocol', 'blvm-muhash', 'blvm-secp256k1'], former: ['bllvm-node'] },
  bllvm: { repo: 'blvm', deps: ['bllvm-node'], former: ['bllvm'] },
  'bllvm-sdk': { repo: 'blvm-sdk', deps: ['bllvm-node'], former: ['bllvm-sdk'] },
  'governance-app': { repo: 'blvm-commons', deps: ['bllvm-protocol', 'bllvm-sdk'], crate: 'blvm-commons', former: ['bllvm-commons', 'bllvm-governance'] },
});
const SHA = '997e33b221cf243fa25b1f971e35d89b303b1ca2';
const event = (json: string) => JSON.parse(json) as unknown;
const delivered = (eventType: string, payload: string) => event(`{"action":"${eventType}","client_payload":${payload},"repository":{"full_name":"BTCDecoded/bllvm"}}`);
const parse = (e: unknown) => parseEvent('repository_dispatch', e, REAL);
function rejection(e: unknown): string {
  try {
    parse(e);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the event to be rejected');
}

describe('develop-chain, build-chain, upstream-changed: an upstream changed, rebuild downstream', () => {
  it.each(['develop-chain', 'build-chain', 'upstream-changed'])('%s from node moves node to its branch head; node and its dependents rebuild', (type) => {
    expect(parse(delivered(type, '{"version":"0.1.3","source":"blvm-node"}'))).toEqual({
      kind: 'move-to-head', component: 'bllvm-node', scope: ['bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app'], version: '0.1.3', source: `repository_dispatch ${type}`,
    });
  });

  it('reads the source by repository with owner, and a library with every dependent down to the app', () => {
    expect(parse(delivered('develop-chain', '{"version":"0.2.0-dev.4+g1a2b","source":"BTCDecoded/blvm-secp256k1"}'))).toMatchObject({
      component: 'blvm-secp256k1', version: '0.2.0-dev.4+g1a2b',
      scope: ['blvm-secp256k1', 'bllvm-consensus', 'bllvm-protocol', 'bllvm-node', 'bllvm', 'bllvm-sdk', 'governance-app'],
    });
  });

  it('accepts a former name as the source, with a warning naming the current one; the version is optional', () => {
    expect(parse(delivered('upstream-changed', '{"source":"bllvm-commons"}'))).toEqual({
      kind: 'move-to-head', component: 'governance-app', scope: ['governance-app'], source: 'repository_dispatch upstream-changed',
      warnings: ['"bllvm-commons" is a former name of governance-app (BTCDecoded/blvm-commons); use "governance-app"'],
    });
  });

  it('build-chain as blvm-consensus sends it after publishing pins the source to the commit it names', () => {
    expect(parse(delivered('build-chain', `{"source":"blvm-consensus","version":"0.1.54","source_sha":"${SHA}"}`))).toEqual({
      kind: 'move-pin', component: 'bllvm-consensus', sha: SHA, force: false, source: 'repository_dispatch build-chain (version 0.1.54)',
    });
    expect(parse(delivered('build-chain', `{"source":"bllvm-consensus","source_sha":"${SHA}"}`))).toEqual({
      kind: 'move-pin', component: 'bllvm-consensus', sha: SHA, force: false, source: 'repository_dispatch build-chain',
    });
  });

  it.each([
    ['a short source_sha', '{"source":"blvm-consensus","source_sha":"997e33b"}', /build-chain: source_sha "997e33b" is not a 40-character lowercase hex commit/],
    ['an uppercase source_sha', `{"source":"blvm-consensus","source_sha":"${SHA.toUpperCase()}"}`, /source_sha ".*" is not a 40-character lowercase hex commit/],
    ['a source_sha with a shell command', '{"source":"blvm-consensus","source_sha":"$(id)"}', /source_sha "\$\(id\)" is not a 40-character/],
    ['a source_sha as a number', '{"source":"blvm-consensus","source_sha":12}', /build-chain: source_sha is missing or not a string/],
    ['a source_sha without a source', `{"source_sha":"${SHA}"}`, /build-chain: source is missing/],
  ])('build-chain refuses %s', (_n, payload, message) => {
    expect(rejection(delivered('build-chain', payload))).toMatch(message);
  });

  it('takes source_sha in build-chain only, the shape its sender uses', () => {
    expect(rejection(delivered('develop-chain', `{"source":"blvm-node","source_sha":"${SHA}"}`))).toMatch(/develop-chain: unexpected key "source_sha" \(allowed: version, source\)/);
  });

  it.each([
    ['a version that is not one', '{"version":"$(id)","source":"blvm-node"}', /develop-chain: version "\$\(id\)" is not a version/],
    ['a version as a number', '{"version":1,"source":"blvm-node"}', /develop-chain: version must be a string/],
    ['a date as the version', '{"version":"2026-08-19","source":"blvm-node"}', /is not a version/],
    ['no source', '{"version":"0.1.3"}', /develop-chain: source is missing/],
    ['an unknown source', '{"version":"0.1.3","source":"blvm-wallet"}', /develop-chain: source: unknown component "blvm-wallet" \(known: .*\)/],
    ['a source with a path', '{"version":"0.1.3","source":"../blvm-node"}', /unknown component "\.\.\/blvm-node"/],
    ['a sha beside the source', `{"version":"0.1.3","source":"blvm-node","sha":"${SHA}"}`, /develop-chain: unexpected key "sha" \(allowed: version, source\)/],
  ])('refuses %s', (_n, payload, message) => {
    expect(rejection(delivered('develop-chain', payload))).toMatch(message);
  });
});

describe('build_governance as the governance app sends it: {ref, sha, repo}', () => {
  it('moves the app\'s pin to sha, on the branch ref names', () => {
    expect(parse(delivered('build_governance', `{"ref":"refs/heads/main","sha":"${SHA}","repo":"blvm-commons"}`))).toEqual({
      kind: 'move-pin', component: 'governance-app', sha: SHA, ref: 'main', force: false, source: 'repository_dispatch build_governance',
    });
  });

  it('accepts the repository\'s former name with a warning', () => {
    expect(parse(delivered('build_governance', `{"ref":"main","sha":"${SHA}","repo":"bllvm-commons"}`))).toMatchObject({
      component: 'governance-app', warnings: ['"bllvm-commons" is a former name of governance-app (BTCDecoded/blvm-commons); use "governance-app"'],
    });
  });

  it.each([
    ['a repo that is another component', `{"ref":"main","sha":"${SHA}","repo":"blvm-node"}`, /build_governance: repo "blvm-node" does not match the component governance-app \(BTCDecoded\/blvm-commons\)/],
    ['an unknown repo', `{"ref":"main","sha":"${SHA}","repo":"evil/blvm-commons"}`, /repo "evil\/blvm-commons" does not match/],
    ['a short sha', '{"ref":"main","sha":"997e33b","repo":"blvm-commons"}', /sha "997e33b" is not a 40-character lowercase hex commit/],
    ['no sha', '{"ref":"main","repo":"blvm-commons"}', /sha is missing or not a string/],
    ['a ref with a shell command', `{"ref":"main;id","sha":"${SHA}","repo":"blvm-commons"}`, /ref "main;id" contains characters outside/],
    ['a tag ref that is not a branch name', `{"ref":"refs/tags/../x","sha":"${SHA}","repo":"blvm-commons"}`, /ref "refs\/tags\/\.\.\/x" contains "\.\."/],
    ['the two shapes mixed', `{"sha":"${SHA}","source_ref":"main"}`, /build_governance: unexpected key "sha" \(allowed: triggered_by, source_ref, source_sha, version; or: ref, sha, repo\)/],
    ['an unknown key', `{"ref":"main","sha":"${SHA}","repo":"blvm-commons","run":"x"}`, /unexpected key "run" \(allowed: ref, sha, repo; or: triggered_by/],
  ])('refuses %s', (_n, payload, message) => {
    expect(rejection(delivered('build_governance', payload))).toMatch(message);
  });
});

describe('legacy build_<x>: <x> and triggered_by read from the stack\'s names', () => {
  it.each([
    ['build_node', 'bllvm-node', undefined],
    ['build_governance', 'bllvm-governance', '"bllvm-governance" is a former name of governance-app (BTCDecoded/blvm-commons); use "governance-app"'],
    ['build_commons', 'blvm-commons', undefined],
    ['build_consensus', 'BTCDecoded/blvm-consensus', undefined],
    ['build_primitives', 'blvm-primitives', undefined],
    ['build_blvm', 'bllvm', undefined],
  ])('%s triggered by %s', (type, by, warning) => {
    const action = parse(delivered(type, `{"triggered_by":"${by}","source_ref":"refs/heads/main","source_sha":"${SHA}","version":"0.1.0"}`));
    expect(action).toMatchObject({ kind: 'move-pin', sha: SHA, ref: 'main' });
    expect('warnings' in action ? action.warnings : undefined).toEqual(warning === undefined ? undefined : [warning]);
  });

  it('maps each type to the component whose names hold the word', () => {
    const of = (type: string) => (parse(delivered(type, `{"source_sha":"${SHA}"}`)) as { component: string }).component;
    expect(['build_node', 'build_governance', 'build_commons', 'build_sdk', 'build_spec', 'build_muhash'].map(of)).toEqual([
      'bllvm-node', 'governance-app', 'governance-app', 'bllvm-sdk', 'blvm-spec-lock', 'blvm-muhash',
    ]);
  });

  it.each([
    ['a word no component has', 'build_wallet', /unknown event type "build_wallet"/],
    ['a word too short to be a name word', 'build_secp', /unknown event type "build_secp"/],
    ['an uppercase word', 'build_Node', /unknown event type "build_Node"/],
    ['an empty word', 'build_', /unknown event type "build_"/],
  ])('refuses %s', (_n, type, message) => {
    expect(rejection(delivered(type, `{"source_sha":"${SHA}"}`))).toMatch(message);
  });

  it('refuses triggered_by naming another component, even by a former name', () => {
    expect(rejection(delivered('build_node', `{"triggered_by":"bllvm-governance","source_sha":"${SHA}"}`))).toMatch(
      /build_node: triggered_by "bllvm-governance" does not match the component bllvm-node \(BTCDecoded\/blvm-node\)/,
    );
  });

  it('keeps build_all', () => {
    expect(parse(delivered('build_all', '{"nightly":true}')).kind).toBe('refresh-all');
  });
});

describe('deploy as the seed orchestrator sent it: {tag, image}', () => {
  it('is understood as a signal to a deployment: accepted, nothing to build, saying why', () => {
    expect(parse(delivered('deploy', '{"tag":"v0.1.0","image":"ghcr.io/btcdecoded/governance-app:v0.1.0"}'))).toEqual({
      kind: 'none',
      source: 'repository_dispatch deploy',
      reason: expect.stringMatching(/^a deploy signal for v0\.1\.0 \(image ghcr\.io\/btcdecoded\/governance-app:v0\.1\.0\): .*nothing for the orchestrator to build/),
    });
    expect(parse(delivered('deploy', '{"tag":"nightly-20261130-0123abc"}'))).toMatchObject({ kind: 'none', reason: expect.stringMatching(/^a deploy signal for nightly-20261130-0123abc: /) });
    expect(parse(delivered('deploy', '{"tag":"v1.0.0","image":"https://github.com/BTCDecoded/bllvm/releases/download/v1.0.0/governance-app-v1.0.0.oci.tar"}')).kind).toBe('none');
  });

  it.each([
    ['no tag', '{"image":"img:v1"}', /deploy: tag is missing/],
    ['a tag with a shell command', '{"tag":"v1;id"}', /deploy: tag "v1;id" contains characters outside/],
    ['an image with a space', '{"tag":"v1.0.0","image":"img:v1 --privileged"}', /deploy: image "img:v1 --privileged" is not an image reference/],
    ['an image as a number', '{"tag":"v1.0.0","image":7}', /deploy: image must be a string/],
    ['an oversized image', `{"tag":"v1.0.0","image":"${'a'.repeat(300)}"}`, /deploy: image is longer than 256 characters/],
    ['an unknown key', '{"tag":"v1.0.0","run":"x"}', /deploy: unexpected key "run" \(allowed: tag, image\)/],
  ])('refuses %s', (_n, payload, message) => {
    expect(rejection(delivered('deploy', payload))).toMatch(message);
  });
});

describe('blvm-release: the binary repository telling its websites about a release', () => {
  it('is accepted and moves nothing, saying why', () => {
    expect(parse(delivered('blvm-release', '{"tag":"v0.2.0","source_repo":"BTCDecoded/blvm"}'))).toEqual({
      kind: 'none',
      source: 'repository_dispatch blvm-release',
      reason: expect.stringMatching(/^BTCDecoded\/blvm released v0\.2\.0; a release notice for its websites, nothing for the orchestrator to build/),
    });
  });

  it.each([
    ['a tag with a shell command', '{"tag":"v1;id","source_repo":"BTCDecoded/blvm"}', /blvm-release: tag "v1;id" contains characters outside/],
    ['no tag', '{"source_repo":"BTCDecoded/blvm"}', /blvm-release: tag is missing/],
    ['a source_repo that is not owner/name', '{"tag":"v1.0.0","source_repo":"blvm"}', /source_repo "blvm" is not of the form owner\/name/],
    ['a source_repo of another component', '{"tag":"v1.0.0","source_repo":"BTCDecoded/blvm-node"}', /source_repo "BTCDecoded\/blvm-node" does not match the component bllvm/],
    ['an unknown key', '{"tag":"v1.0.0","source_repo":"BTCDecoded/blvm","sha":"x"}', /blvm-release: unexpected key "sha" \(allowed: tag, source_repo\)/],
  ])('refuses %s', (_n, payload, message) => {
    expect(rejection(delivered('blvm-release', payload))).toMatch(message);
  });

  it('is only a notice of a component\'s repository', () => {
    expect(rejection(delivered('wallet-release', '{"tag":"v1.0.0"}'))).toMatch(/unknown event type "wallet-release"/);
  });
});

describe('component-updated and workflow_dispatch read any name too', () => {
  it('accepts a repository name, and a former name with a warning', () => {
    expect(parse(delivered('component-updated', `{"component":"blvm-commons","sha":"${SHA}"}`))).toMatchObject({ component: 'governance-app' });
    expect(parseEvent('workflow_dispatch', { inputs: { component: 'bllvm-governance', sha: SHA } }, REAL)).toMatchObject({
      component: 'governance-app', warnings: [expect.stringMatching(/former name/)],
    });
  });
});
