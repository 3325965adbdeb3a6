import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { remoteSourceProblems } from './remote-sources';

const problems = (toml: string) => remoteSourceProblems(parse(toml) as Record<string, unknown>);

describe('remoteSourceProblems', () => {
  it('accepts registry versions, paths and the crates-io patch table (the real stack\'s shapes)', () => {
    expect(problems(`
[dependencies]
serde = "1"
blvm-primitives = { version = ">=0.1, <1", path = "../blvm-primitives" }
[dev-dependencies]
sha2 = { version = "0.10", default-features = false }
[patch.crates-io]
blvm-consensus = { path = "../blvm-consensus" }
[workspace.dependencies]
hex = "0.4"
`)).toEqual([]);
  });

  it('names every git source, registry by name or URL, and a patch of another source, wherever declared', () => {
    expect(problems(`
[dependencies]
a = { git = "http://127.0.0.1:9/a" }
[build-dependencies]
b = { version = "1", registry = "internal" }
[target.'cfg(unix)'.dev-dependencies]
c = { version = "1", registry-index = "sparse+http://127.0.0.1:9/" }
[patch.crates-io]
d = { git = "https://example.invalid/d" }
[patch."https://example.invalid/e"]
e = { path = "../e" }
[replace]
"f:1.0.0" = { git = "ssh://h/f" }
[workspace.dependencies]
g = { git = "file:///root" }
`)).toEqual([
      'dependencies.a has git = "http://127.0.0.1:9/a": dependencies come from the stack\'s checkouts or the configured registry only',
      'build-dependencies.b has registry = "internal": dependencies come from the stack\'s checkouts or the configured registry only',
      'target.\'cfg(unix)\'.dev-dependencies.c has registry-index = "sparse+http://127.0.0.1:9/": dependencies come from the stack\'s checkouts or the configured registry only',
      'patch.crates-io.d has git = "https://example.invalid/d": dependencies come from the stack\'s checkouts or the configured registry only',
      '[patch."https://example.invalid/e"] patches a source other than the registry',
      'replace.f:1.0.0 has git = "ssh://h/f": dependencies come from the stack\'s checkouts or the configured registry only',
      'workspace.dependencies.g has git = "file:///root": dependencies come from the stack\'s checkouts or the configured registry only',
    ]);
  });
});
