import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { type TarEntry, tarHeader, writeTarGz } from './tar';
import { tempDir } from './testing';

function file(path: string, content: string, mode = 0o644): Extract<TarEntry, { type: 'file' }> {
  const data = Buffer.from(content);
  return { type: 'file', path, mode, size: data.length, content: async function* () { yield data; } };
}

function field(header: Buffer, offset: number, length: number): string {
  return header.subarray(offset, offset + length).toString('ascii').replace(/\0.*$/s, '');
}

describe('tarHeader', () => {
  it('fills the ustar fields and a checksum that tar accepts', () => {
    const h = tarHeader(file('dir/bllvm', 'hello', 0o755));
    expect(h.length).toBe(512);
    expect(field(h, 0, 100)).toBe('dir/bllvm');
    expect(field(h, 100, 8)).toBe('0000755');
    expect(field(h, 108, 8)).toBe('0000000');
    expect(field(h, 124, 12)).toBe('00000000005');
    expect(field(h, 136, 12)).toBe('00000000000');
    expect(field(h, 156, 1)).toBe('0');
    expect(field(h, 257, 6)).toBe('ustar');
    expect(field(h, 263, 2)).toBe('00');
    const stored = parseInt(field(h, 148, 8), 8);
    const copy = Buffer.from(h);
    copy.fill(0x20, 148, 156);
    expect(stored).toBe(copy.reduce((a, b) => a + b, 0));
  });

  it('marks directories with a trailing slash and type 5', () => {
    const h = tarHeader({ type: 'directory', path: 'stem', mode: 0o755 });
    expect(field(h, 0, 100)).toBe('stem/');
    expect(field(h, 156, 1)).toBe('5');
  });

  it('splits a long path into prefix and name', () => {
    const dir = 'd'.repeat(120);
    const h = tarHeader(file(`${dir}/artifact`, 'x'));
    expect(field(h, 0, 100)).toBe('artifact');
    expect(field(h, 345, 155)).toBe(dir);
  });

  it('rejects paths it cannot store safely', () => {
    for (const path of ['/abs', 'a/../b', 'sp ace', 'é', `${'x'.repeat(101)}`]) expect(() => tarHeader(file(path, ''))).toThrow(/tar:/);
    expect(() => tarHeader({ ...file('a', ''), size: -1 } as TarEntry)).toThrow(/size/);
  });
});

describe('writeTarGz', () => {
  it('is read back by the real tar with modes, owners, epoch mtimes and contents intact', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const dest = join(dir, 'x.tar.gz');
      const big = 'z'.repeat(70_000);
      await writeTarGz(
        [{ type: 'directory', path: 'stem/', mode: 0o755 }, file('stem/a.rlib', 'lib'), file('stem/bin', big, 0o755)],
        dest,
      );
      const listing = (await execa('tar', ['--numeric-owner', '-tvzf', dest], { env: { TZ: 'UTC' } })).stdout.split('\n');
      expect(listing).toHaveLength(3);
      expect(listing[0]).toMatch(/^drwxr-xr-x 0\/0 +0 1970-01-01 00:00 stem\/$/);
      expect(listing[1]).toMatch(/^-rw-r--r-- 0\/0 +3 1970-01-01 00:00 stem\/a\.rlib$/);
      expect(listing[2]).toMatch(/^-rwxr-xr-x 0\/0 +70000 1970-01-01 00:00 stem\/bin$/);

      const out = join(dir, 'out');
      await mkdir(out);
      await execa('tar', ['-xzf', dest, '-C', out]);
      expect(await readFile(join(out, 'stem/bin'), 'utf8')).toBe(big);
      expect((await stat(join(out, 'stem/bin'))).mode & 0o111).not.toBe(0);
      // gzip -t checks the gzip framing and CRC independently of tar.
      await execa('gzip', ['-t', dest]);
    } finally {
      await cleanup();
    }
  });

  it('writes the same bytes whatever the umask, time zone or clock, with a fixed gzip header', async () => {
    const { dir, cleanup } = await tempDir();
    const umask = process.umask(0o077);
    const tz = process.env.TZ;
    try {
      const entries = (): TarEntry[] => [{ type: 'directory', path: 'stem/', mode: 0o755 }, file('stem/bin', 'binary', 0o755)];
      await writeTarGz(entries(), join(dir, 'a.tar.gz'));
      process.umask(0o022);
      process.env.TZ = 'Pacific/Kiritimati';
      await new Promise((r) => setTimeout(r, 1100));
      await writeTarGz(entries(), join(dir, 'b.tar.gz'));
      const [a, b] = await Promise.all([readFile(join(dir, 'a.tar.gz')), readFile(join(dir, 'b.tar.gz'))]);
      expect(a.equals(b)).toBe(true);
      // magic, deflate, no flags (no name), mtime 0, XFL 2 (best compression), OS 3 (Unix)
      expect([...a.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]);
    } finally {
      process.umask(umask);
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
      await cleanup();
    }
  });

  it('fails when content is not the declared size, and refuses to overwrite', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const short: TarEntry = { ...file('a', 'abc'), size: 4 };
      await expect(writeTarGz([short], join(dir, 'short.tar.gz'))).rejects.toThrow(/3 bytes, declared 4/);
      // The half-written archive is removed; the one it refused to overwrite is kept.
      expect(await readdir(dir)).toEqual([]);
      const long: TarEntry = { ...file('a', 'abcde'), size: 4 };
      await expect(writeTarGz([long], join(dir, 'long.tar.gz'))).rejects.toThrow(/longer than its declared 4/);
      await writeTarGz([file('a', 'a')], join(dir, 'once.tar.gz'));
      await expect(writeTarGz([file('a', 'a')], join(dir, 'once.tar.gz'))).rejects.toThrow(/EEXIST/);
      expect(await readdir(dir)).toEqual(['once.tar.gz']);
    } finally {
      await cleanup();
    }
  });
});
