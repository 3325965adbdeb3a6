import { describe, expect, it } from 'vitest';
import { invocationsIn } from './invocations';

const strip = (text: string) => invocationsIn(text).map(({ offset: _, ...rest }) => rest);

describe('invocationsIn', () => {
  it('finds CLI commands however the CLI is started', () => {
    expect(strip('npx tsx tools/ship/cli/src/main.ts handle-event --event-file "$GITHUB_EVENT_PATH" --push | tee x')).toEqual([{ kind: 'cli', command: 'handle-event' }]);
    expect(strip('npm run cli -- plan --base last-release')).toEqual([{ kind: 'cli', command: 'plan' }]);
    expect(strip('node tools/ship/cli/bin/bllvm-release.cjs nightly --push "$@" | tee x')).toEqual([{ kind: 'cli', command: 'nightly' }]);
    expect(strip('bllvm-release "pin" bllvm-node abc')).toEqual([{ kind: 'cli', command: 'pin' }]);
    expect(strip('echo bllvm-release-notes.md')).toEqual([]);
  });

  it('reads the targets the build command hands to Nx', () => {
    expect(strip('npx tsx tools/ship/cli/src/main.ts build --targets build,test --base last-release')).toEqual([
      { kind: 'cli', command: 'build' },
      { kind: 'nx-target', target: 'build' },
      { kind: 'nx-target', target: 'test' },
    ]);
  });

  it('reads nx run, affected and run-many in all their option spellings', () => {
    expect(strip('npx nx run governance-app:compile:production')).toEqual([{ kind: 'nx-target', project: 'governance-app', target: 'compile' }]);
    expect(strip('npx nx affected -t build,test --base=last-release')).toEqual([
      { kind: 'nx-target', target: 'build' },
      { kind: 'nx-target', target: 'test' },
    ]);
    expect(strip('nx run-many --targets=verify --projects=tag:component && nx affected --target buld')).toEqual([
      { kind: 'nx-target', target: 'verify' },
      { kind: 'nx-target', target: 'buld' },
    ]);
    expect(strip('nx affected -t="graph-check"')).toEqual([{ kind: 'nx-target', target: 'graph-check' }]);
  });

  it('follows backslash continuations and skips comments', () => {
    const script = 'npx nx affected \\\n  -t verify \\\n  --base=last-release\n# npx nx affected -t nope\n';
    expect(strip(script)).toEqual([{ kind: 'nx-target', target: 'verify' }]);
    // The offset stays on the line the command starts on, where a finding should point.
    expect(invocationsIn(script)[0]!.offset).toBe(script.indexOf('nx affected'));
  });

  it('reports names that are only known at run time', () => {
    expect(strip('npx tsx tools/ship/cli/src/main.ts "$CMD" --push')).toEqual([{ kind: 'dynamic', what: 'CLI command "$CMD"' }]);
    expect(strip('npx nx affected -t "$TARGETS"')).toEqual([{ kind: 'dynamic', what: 'targets "$TARGETS"' }]);
  });
});
