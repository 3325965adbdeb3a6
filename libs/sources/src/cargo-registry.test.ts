import { describe, expect, it } from 'vitest';
import { registryConfigArgs, registryLabel, unreachableRegistry } from './cargo-registry';

describe('the configured cargo registry', () => {
  it('replaces crates.io through cargo\'s source replacement, and is nothing for crates.io itself', () => {
    expect(registryConfigArgs({})).toEqual([]);
    expect(registryConfigArgs({ cargoRegistry: 'sparse+http://127.0.0.1:9/index/' })).toEqual([
      '--config',
      'source.crates-io.replace-with="bllvm-registry"',
      '--config',
      'source.bllvm-registry.registry="sparse+http://127.0.0.1:9/index/"',
    ]);
    expect(registryLabel({})).toBe('crates.io');
    expect(registryLabel({ cargoRegistry: 'sparse+https://m.example/' })).toBe('the cargo registry sparse+https://m.example/');
  });

  it('tells a registry that cannot be reached from a dependency it does not have', () => {
    const refused = [
      'error: failed to get `tiny-hex` as a dependency of package `c v0.1.0 (/src/c)`',
      '',
      'Caused by:',
      '  download of config.json failed',
      '',
      'Caused by:',
      '  failed to download from `http://127.0.0.1:9/index/config.json`',
      '',
      'Caused by:',
      '  [7] Couldn\'t connect to server (Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn\'t connect to server)',
    ].join('\n');
    expect(unreachableRegistry(refused)).toMatch(/^\[7\] Couldn't connect to server/);
    expect(unreachableRegistry('error: [6] Could not resolve host: index.crates.io')).toBe('[6] Could not resolve host: index.crates.io');
    expect(unreachableRegistry('error: no matching package named `nope` found\nlocation searched: registry `crates-io`')).toBeUndefined();
  });
});
