import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ComponentProjectFile, componentShape, componentTargets } from '@bllvm/manifest';
import { DEFAULT_PRODUCERS, buildHint, producersOf } from './producers';

const ROOT = resolve(import.meta.dirname, '..', '..', '..', '..', '..', '..');
const targetsOf = async (project: string) => {
  const file = JSON.parse(await readFile(join(ROOT, 'apps', project, 'project.json'), 'utf8')) as ComponentProjectFile & { targets?: Record<string, { outputs?: string[] }> };
  const inferred = componentTargets(componentShape(file)!);
  // As Nx merges them: a target's own outputs in project.json, else the inferred ones.
  const names = [...new Set([...Object.keys(inferred), ...Object.keys(file.targets ?? {})])];
  return Object.fromEntries(names.map((t) => [t, { outputs: file.targets?.[t]?.outputs ?? inferred[t]?.outputs }]));
};

describe('producersOf', () => {
  it('finds the target that declares each output, as the workspace declares them', async () => {
    expect(producersOf(await targetsOf('bllvm-node'))).toEqual({ build: 'build', test: 'test', verify: 'verify', image: 'build' });
    expect(producersOf(await targetsOf('governance-app'))).toEqual({ build: 'compile', test: 'test', verify: 'verify', image: 'build' });
  });

  it('falls back to the usual targets', () => {
    expect(producersOf(undefined)).toEqual(DEFAULT_PRODUCERS);
  });
});

describe('buildHint', () => {
  it('names the CLI build and the one task', () => {
    expect(buildHint('governance-app', 'compile')).toBe('build it first with `npm run cli -- build --targets build,test,verify,package` (this task alone: `npx nx run governance-app:compile`)');
  });
});
