import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseKeptVersion, toolVersion, toolVersionKey } from './tool-version';

const file = { dev: 2049, ino: 1001, size: 8_000_000, mtimeMs: 1_700_000_000_000, ctimeMs: 1_700_000_000_500 };
const lib = { dev: 2049, ino: 2002, size: 4096, mtimeMs: 1_700_000_000_000, ctimeMs: 1_700_000_000_500 };

describe('toolVersionKey', () => {
  it('is the same for the same files and question', () => {
    expect(toolVersionKey('rustc', '-Vv', file, lib)).toBe(toolVersionKey('rustc', '-Vv', { ...file }, { ...lib }));
  });

  it('changes with the tool, the question, and any identity of the binary or the library folder (a toolchain replaced in place)', () => {
    const key = toolVersionKey('rustc', '-Vv', file, lib);
    const others = [
      toolVersionKey('cargo', '-Vv', file, lib),
      toolVersionKey('rustc', '-V', file, lib),
      ...(['dev', 'ino', 'size', 'mtimeMs', 'ctimeMs'] as const).flatMap((k) => [
        toolVersionKey('rustc', '-Vv', { ...file, [k]: file[k] + 1 }, lib),
        toolVersionKey('rustc', '-Vv', file, { ...lib, [k]: lib[k] + 1 }),
      ]),
    ];
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
  });
});

describe('parseKeptVersion', () => {
  it('reads what was kept', () => {
    expect(parseKeptVersion('{"version":"cargo 1.95.0 (f2d3ce0bd 2026-03-21)"}\n')).toBe('cargo 1.95.0 (f2d3ce0bd 2026-03-21)');
  });

  it('refuses a damaged or empty answer, so the tool is asked again', () => {
    for (const bad of ['', '{', 'null', '{"version":""}', '{"version":3}', '{}', `{"version":"${'x'.repeat(5000)}"}`]) expect(parseKeptVersion(bad), bad).toBeUndefined();
  });
});

describe('toolVersion', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tool-version-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers from the kept answer for the same toolchain files without running the tool (a unit test starts no process)', async () => {
    const sysroot = join(dir, 'toolchain');
    await mkdir(join(sysroot, 'bin'), { recursive: true });
    await mkdir(join(sysroot, 'lib'));
    await writeFile(join(sysroot, 'bin', 'rustc'), 'not a real rustc');
    const workDir = join(dir, 'work');
    const key = toolVersionKey('rustc', '-Vv', await stat(join(sysroot, 'bin', 'rustc')), await stat(join(sysroot, 'lib')));
    await mkdir(join(workDir, 'tool-versions'), { recursive: true });
    await writeFile(join(workDir, 'tool-versions', key), '{"version":"rustc 1.95.0 (59807616e 2026-04-14)"}\n');
    expect(await toolVersion(workDir, sysroot, 'rustc', '-Vv')).toBe('rustc 1.95.0 (59807616e 2026-04-14)');
  });
});
