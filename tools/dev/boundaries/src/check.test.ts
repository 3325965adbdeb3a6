import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBoundaries, formatFinding } from './check';
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
