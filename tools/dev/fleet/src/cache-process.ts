import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { hashToken } from '@bllvm/cache-server';
import { WORKSPACE_ROOT } from '@bllvm/demo';

/** The shared cache as the fleet runs it: its own process, started by its documented command. */
export interface CacheProcess {
  url: string;
  readToken: string;
  writeToken: string;
  storeDir: string;
  /** Published entries on disk now. */
  entries(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * `cache-server --store … --tokens … --listen 127.0.0.1:0` (docs/operations.md), with a read and
 * a write token made for this run; resolves on the URL line it prints when it listens.
 */
export async function startCacheProcess(dir: string, opts: { maxEntryBytes?: string; maxStoreBytes?: string } = {}): Promise<CacheProcess> {
  await mkdir(dir, { recursive: true });
  const readToken = randomBytes(24).toString('hex');
  const writeToken = randomBytes(24).toString('hex');
  const tokens = join(dir, 'tokens');
  await writeFile(tokens, `# fleet rehearsal\nread ${hashToken(readToken)}\nwrite ${hashToken(writeToken)}\n`);
  const storeDir = join(dir, 'store');
  const args = [join(WORKSPACE_ROOT, 'tools/ship/cache-server/bin/cache-server.cjs'), '--store', storeDir, '--tokens', tokens, '--key', join(dir, 'server.key'), '--listen', '127.0.0.1:0'];
  if (opts.maxEntryBytes) args.push('--max-entry-bytes', opts.maxEntryBytes);
  if (opts.maxStoreBytes) args.push('--max-store-bytes', opts.maxStoreBytes);
  const child: ResultPromise = execa(process.execPath, args, { reject: false, stdin: 'ignore', buffer: false });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`the cache server printed no URL in 30 s:\n${seen}`)), 30_000);
    child.stdout!.on('data', (b: Buffer) => {
      seen += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr!.on('data', (b: Buffer) => (seen += b.toString()));
    void child.then((r) => {
      clearTimeout(timer);
      reject(new Error(`the cache server exited (${r.exitCode}) before listening:\n${seen}`));
    });
  });
  return {
    url,
    readToken,
    writeToken,
    storeDir,
    async entries() {
      const names = await readdir(join(storeDir, 'entries')).catch(() => [] as string[]);
      return names.filter((n) => /^[0-9a-zA-Z]+$/.test(n)).length;
    },
    async stop() {
      child.kill('SIGTERM');
      await child;
    },
  };
}
