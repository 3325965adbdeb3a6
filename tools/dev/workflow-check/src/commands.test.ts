import { describe, expect, it } from 'vitest';
import { componentCodeIn, failureLosesNothing, invoked, writesFile } from './commands';
import { parseShell } from './shell';

const first = (script: string) => parseShell(script).commands[0]!;
const inv = (script: string) => invoked(first(script))!;

describe('invoked', () => {
  it('reads past wrappers that only change how a command runs', () => {
    expect(inv('sudo -u runner env RUST_LOG=debug timeout 600 cargo test --all')).toEqual({ name: 'cargo', args: ['test', '--all'] });
    expect(inv('xargs -0 -r docker rm -f')).toEqual({ name: 'docker', args: ['rm', '-f'] });
    expect(inv('rustup run "$CHANNEL" cargo install blvm-spec-lock')).toEqual({ name: 'cargo', args: ['install', 'blvm-spec-lock'] });
    expect(inv('/usr/bin/git push origin main')).toEqual({ name: 'git', args: ['push', 'origin', 'main'] });
    expect(invoked(first('VERSION=1'))).toBeUndefined();
  });
});

describe('componentCodeIn', () => {
  const code = (script: string, owner: 'orchestrator' | 'component' = 'component') => componentCodeIn(inv(script), owner);

  it('counts cargo when it compiles or runs the crate, not when it only reads or talks to the registry', () => {
    for (const s of ['cargo build --release', 'cargo +nightly miri test', 'cargo test', 'cargo clippy -- -D warnings', 'cargo publish', 'cargo publish --dry-run', 'cargo package', 'cargo install --path .', 'cargo -Z unstable-options check', 'cross build --target aarch64-unknown-linux-gnu'])
      expect(code(s), s).toBeDefined();
    for (const s of ['cargo login "$T"', 'cargo metadata --no-deps', 'cargo search x', 'cargo package --list', 'cargo publish --no-verify', 'cargo install blvm-spec-lock', 'cargo --version', 'cargo update -p x', 'cargo add x@1', 'cargo fmt --check', 'cargo deb --no-build'])
      expect(code(s), s).toBeUndefined();
  });

  it('counts image builds anywhere, and the checkout\'s own scripts, Makefile and npm packages in a component repository', () => {
    expect(code('docker buildx build -t x .', 'orchestrator')).toBe('docker build');
    expect(code('podman build .', 'orchestrator')).toBe('docker build');
    for (const s of ['./scripts/release.sh', 'bash scripts/bump.sh 1.2.3', 'python3 tools/gen.py', 'make dist', 'npm ci', 'yarn', 'just release']) {
      expect(code(s), s).toBeDefined();
      expect(code(s, 'orchestrator'), s).toBeUndefined();
    }
    for (const s of ['gh release create v1', 'curl -sf https://x', 'git push', 'echo cargo build', 'bash -c "cargo build"', 'node --version', '/usr/bin/env', 'docker push x', 'docker login ghcr.io'])
      expect(code(s), s).toBeUndefined();
  });
});

describe('failureLosesNothing', () => {
  const harmless = (script: string) => {
    const cmd = first(script);
    return failureLosesNothing(invoked(cmd)!, writesFile(cmd));
  };

  it('lets cleanup, answers and reports fail', () => {
    for (const s of ['rm -f x', 'git branch -D tmp', 'git tag -d nightly', 'git push origin :refs/tags/nightly', 'git push --delete origin nightly', 'docker rm -f b', 'docker system prune -af', 'gh release delete nightly --yes', 'gh release view v1', 'grep -q x f', 'diff -q a b', 'ls dist', 'cat log', 'du -sh x', 'find /tmp -mtime +2 -exec rm -rf {} +', 'rsync -a --delete "$CARGO_CACHE_DIR/registry/" ~/.cargo/registry/', 'git config --unset credential.helper', 'pkill -f sccache', 'cargo clean'])
      expect(harmless(s), s).toBe(true);
  });

  it('does not let pushes, publishes, builds, downloads or a file others read fail', () => {
    for (const s of ['git push origin HEAD:main', 'git commit -m x', 'git fetch --tags', 'cargo publish', 'cargo test', 'curl -sf https://x', 'gh release upload v1 x', 'docker push x', 'sed -i s/a/b/ Cargo.toml', 'awk 1 Cargo.toml > Cargo.toml.tmp', 'sha256sum dist/* > SHA256SUMS', 'find . -exec chmod +x {} +', './scripts/release.sh', 'cargo install x'])
      expect(harmless(s), s).toBe(false);
  });

  it('reads /dev/null, the step summary and another descriptor as nowhere', () => {
    expect(writesFile(first('grep x f > /dev/null 2>&1'))).toBe(false);
    expect(writesFile(first('cat x >> "$GITHUB_STEP_SUMMARY"'))).toBe(false);
    expect(writesFile(first('cat x > out.txt'))).toBe(true);
  });
});
