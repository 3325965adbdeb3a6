import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { readTar } from '@bllvm/release';
import { clampLayerTimes } from './clamp-layer';

const EPOCH = 1700000000;

/** A tar as Go's archive/tar writes a layer with pax times: a pax header, then the folder, then a file. */
function layer(): Buffer {
  const header = (name: string, type: string, mtime: number, size = 0) => {
    const h = Buffer.alloc(512, 0);
    h.write(name, 0, 100, 'ascii');
    h.write('0000755\0', 100, 8, 'ascii');
    h.write('0000000\0', 108, 8, 'ascii');
    h.write('0000000\0', 116, 8, 'ascii');
    h.write(size.toString(8).padStart(11, '0') + '\0', 124, 12, 'ascii');
    h.write(mtime.toString(8).padStart(11, '0') + '\0', 136, 12, 'ascii');
    h.write(type, 156, 1, 'ascii');
    h.write('ustar\0', 257, 6, 'ascii');
    h.write('00', 263, 2, 'ascii');
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
    return h;
  };
  const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512, 0)]);
  const record = (kv: string) => {
    let len = kv.length + 3;
    while (`${len} ${kv}\n`.length !== len) len = `${len} ${kv}\n`.length;
    return `${len} ${kv}\n`;
  };
  const pax = Buffer.from(record('mtime=1796018474.123456789') + record('atime=1600000000.5'));
  const file = Buffer.from('bin');
  return Buffer.concat([
    header('PaxHeaders/usr', 'x', 0, pax.length), pad(pax),
    header('usr/', '5', 1796018474),
    header('usr/app', '0', 1600000000, file.length), pad(file),
    Buffer.alloc(1024, 0),
  ]);
}

describe('clampLayerTimes', () => {
  it('dates everything later than SOURCE_DATE_EPOCH by it, leaves earlier times and everything else alone', async () => {
    const before = layer();
    const after = clampLayerTimes(before, EPOCH);
    expect(after.length).toBe(before.length);
    expect(before.includes(Buffer.from('mtime=1796018474.123456789'))).toBe(true); // the input is not changed
    expect(after.includes(Buffer.from('mtime=1700000000.000000000'))).toBe(true);
    expect(after.includes(Buffer.from('atime=1600000000.5'))).toBe(true);
    expect(readTar(after).map((m) => [m.path, m.type, m.mode, m.mtime])).toEqual([
      ['usr/', '5', 0o755, EPOCH],
      ['usr/app', '0', 0o755, 1600000000],
    ]);
    // GNU tar reads it: every header's checksum is right.
    const dir = await mkdtemp(join(tmpdir(), 'bllvm-clamp-'));
    try {
      await writeFile(join(dir, 'l.tar'), after);
      const listed = await execa('tar', ['--full-time', '-tvf', join(dir, 'l.tar')], { env: { TZ: 'UTC' } });
      expect(listed.stdout).toContain('2023-11-14 22:13:20 usr/');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is the identity on a layer already dated by the pins', () => {
    const once = clampLayerTimes(layer(), EPOCH);
    expect(clampLayerTimes(once, EPOCH).equals(once)).toBe(true);
  });

  it('refuses a truncated layer', () => {
    expect(() => clampLayerTimes(layer().subarray(0, 600), EPOCH)).toThrow('truncated');
    expect(() => clampLayerTimes(layer().subarray(0, 1024 + 512 * 3), EPOCH)).toThrow('no end-of-archive block');
  });
});
