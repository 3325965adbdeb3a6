import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBoundaries, formatFinding } from './check';
import { testingAliasFindings } from './rules/testing-entry';
import { readWorkspace } from './workspace';

const WORKSPACE_ROOT = resolve(import.meta.dirname, '../../../..');

describe('module boundaries of this workspace', () => {
  it('hold: every import respects the layering and goes through a public entry', () => {
    const findings = checkBoundaries(readWorkspace(WORKSPACE_ROOT));
    expect(findings.map(formatFinding)).toEqual([]);
  });

  it('run as `npm run check:boundaries` with exit 0', async () => {
    const r = await execa('npm', ['run', '--silent', 'check:boundaries'], { cwd: WORKSPACE_ROOT, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('module boundaries hold');
  });
});

describe('a workspace with deliberately wrong imports', () => {
  let dir: string;
  const write = async (file: string, text: string) => {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), text);
  };
  const project = (root: string, name: string, tags: string[]) => write(`${root}/project.json`, JSON.stringify({ name, tags }));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bllvm-boundaries-'));
    await write('tsconfig.base.json', JSON.stringify({ compilerOptions: { paths: {
      '@bllvm/core': ['libs/core/src/index.ts'],
      '@bllvm/cli': ['tools/ship/cli/src/index.ts'],
      '@bllvm/fake-org': ['tools/doubles/fake-org/src/index.ts'],
    } } }));
    await project('libs/core', 'core', ['type:lib']);
    await project('tools/ship/cli', 'cli', ['type:ship']);
    await project('tools/doubles/fake-org', 'fake-org', ['type:double']);
    await project('tools/dev/untagged', 'untagged', []);
    await write('libs/core/src/index.ts', "export const core = 1;\n");
    // A library reaching up into what ships, and its test using a double (allowed).
    await write('libs/core/src/up.ts', "import { cli } from '@bllvm/cli';\nexport const up = cli;\n");
    await write('libs/core/src/up.test.ts', "import { org } from '@bllvm/fake-org';\nexport const t = org;\n");
    await write('tools/ship/cli/src/index.ts', "export const cli = 2;\n");
    // What ships using a test double; a deep import; a relative path into another project.
    await write('tools/ship/cli/src/double.ts', "import { org } from '@bllvm/fake-org';\nexport const d = org;\n");
    await write('tools/ship/cli/src/deep.ts', "export { core } from '@bllvm/core/src/index';\n");
    await write('tools/ship/cli/src/sneak.ts', "const x = require('../../../../libs/core/src/index');\nexport default x;\n");
    await write('tools/doubles/fake-org/src/index.ts', "import { core } from '@bllvm/core';\nexport const org = core;\n");
    await write('tools/stray/loose.ts', "export const loose = 3;\n");
    await execa('git', ['init', '-q'], { cwd: dir });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports each wrong import with its file, line and rule, and nothing else', () => {
    const findings = checkBoundaries(readWorkspace(dir)).map((f) => `${f.file}:${f.line} ${f.rule}`);
    expect(findings.sort()).toEqual([
      'libs/core/src/up.ts:1 layering',
      'tools/dev/untagged/project.json:1 one-layer-per-project',
      'tools/ship/cli/src/deep.ts:1 public-entry-only',
      'tools/ship/cli/src/double.ts:1 layering',
      'tools/ship/cli/src/sneak.ts:1 relative-stays-inside',
      'tools/stray/loose.ts:1 one-layer-per-project',
    ]);
  });

  it('says what to do instead', () => {
    const text = checkBoundaries(readWorkspace(dir)).map(formatFinding).join('\n');
    expect(text).toContain('cli (type:ship) may not depend on fake-org (type:double); only its tests may use test doubles');
    expect(text).toContain('import "@bllvm/core" (its public entry) instead');
    expect(text).toContain('into project "core" (import "@bllvm/core" instead)');
  });

  it('fails the command-line check with exit 1', async () => {
    const main = join(import.meta.dirname, 'main.ts');
    const r = await execa('npx', ['tsx', main, '--root', dir], { cwd: WORKSPACE_ROOT, reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('tools/ship/cli/src/double.ts:1: [layering]');
    expect(r.stdout).toContain('6 boundary violation(s)');
  });
});

describe('a testing entry and Nx internals', () => {
  let dir: string;
  const write = async (file: string, text: string) => {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), text);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bllvm-boundaries-testing-'));
    await write('tsconfig.base.json', JSON.stringify({ compilerOptions: { paths: {
      '@bllvm/core/testing': ['libs/core/src/testing.ts'],
      '@bllvm/core': ['libs/core/src/index.ts'],
      '@bllvm/other': ['libs/other/src/index.ts'],
    } } }));
    await write('libs/core/project.json', JSON.stringify({ name: 'core', tags: ['type:lib'] }));
    await write('libs/other/project.json', JSON.stringify({ name: 'other', tags: ['type:lib'] }));
    await write('tools/ship/cli/project.json', JSON.stringify({ name: 'cli', tags: ['type:ship'] }));
    await write('libs/core/src/index.ts', 'export const core = 1;\n');
    await write('libs/core/src/testing.ts', "import { core } from './index';\nexport const fixture = core;\n");
    await write('libs/other/src/index.ts', 'export const other = 1;\n');
    // What ships importing a testing entry: refused. Tests, test/ and a testing.ts may.
    await write('tools/ship/cli/src/shipped.ts', "import { fixture } from '@bllvm/core/testing';\nexport const s = fixture;\n");
    await write('tools/ship/cli/src/shipped.test.ts', "import { fixture } from '@bllvm/core/testing';\nexport const t = fixture;\n");
    await write('libs/other/src/testing.ts', "export { fixture } from '@bllvm/core/testing';\n");
    await write('test/e2e.test.ts', "import { fixture } from '@bllvm/core/testing';\nexport const e = fixture;\n");
    // A testing entry that is not declared is still a deep import.
    await write('libs/other/src/other.test.ts', "import { x } from '@bllvm/other/testing';\nexport const o = x;\n");
    // Nx internals outside their one file, in shipped code and in a test alike.
    await write('tools/ship/cli/src/graph.ts', "import { createProjectGraphAsync } from 'nx/src/project-graph/project-graph';\nexport const g = createProjectGraphAsync;\n");
    await write('tools/ship/cli/src/tree.test.ts', "import { createTreeWithEmptyWorkspace } from 'nx/src/devkit-testing-exports';\nexport const t = createTreeWithEmptyWorkspace;\n");
    await write('tools/ship/cli/src/nx-runner/nx-internals.ts', "import type { getCache } from 'nx/src/tasks-runner/cache';\nexport type C = typeof getCache;\n");
    await execa('git', ['init', '-q'], { cwd: dir });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a shipped file importing @bllvm/<name>/testing, and Nx internals outside their file', () => {
    const findings = checkBoundaries(readWorkspace(dir));
    expect(findings.map((f) => `${f.file}:${f.line} ${f.rule}`).sort()).toEqual([
      'libs/other/src/other.test.ts:1 public-entry-only',
      'tools/ship/cli/src/graph.ts:1 nx-internals-in-one-file',
      'tools/ship/cli/src/shipped.ts:1 testing-entry-from-tests-only',
      'tools/ship/cli/src/tree.test.ts:1 nx-internals-in-one-file',
    ]);
    const text = findings.map(formatFinding).join('\n');
    expect(text).toContain('"@bllvm/core/testing" is test-only; only tests (*.test.ts, test/, testing.ts) may import it: use "@bllvm/core" (its public entry)');
    expect(text).toContain('"nx/src/project-graph/project-graph" is Nx\'s internals; use @nx/devkit (or @nx/devkit/testing), or add it to tools/ship/cli/src/nx-runner/nx-internals.ts');
  });
});

describe('testing entries as tsconfig.base.json declares them', () => {
  const findings = (paths: [string, string][]) => testingAliasFindings({ root: '', projects: [], files: [], aliases: new Map(paths) }).map((f) => f.message);

  it('are the project\'s own testing.ts, listed before its public entry', () => {
    expect(findings([['@bllvm/core/testing', 'libs/core/src/testing.ts'], ['@bllvm/core', 'libs/core/src/index.ts']])).toEqual([]);
    expect(findings([['@bllvm/core', 'libs/core/src/index.ts'], ['@bllvm/core/testing', 'libs/core/src/testing.ts']])).toEqual([
      '"@bllvm/core/testing" must be listed before "@bllvm/core" in paths (vitest takes the first alias that is a prefix of the import)',
    ]);
    expect(findings([['@bllvm/core/testing', 'libs/core/src/helpers.ts'], ['@bllvm/core', 'libs/core/src/index.ts'], ['@bllvm/gone/testing', 'libs/gone/src/testing.ts']])).toEqual([
      '"@bllvm/core/testing" must be @bllvm/core\'s own testing.ts, beside its index, not libs/core/src/helpers.ts',
      '"@bllvm/gone/testing" has no public entry "@bllvm/gone" beside it',
    ]);
  });
});
