import { createHash, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, link, lstat, mkdir, open, readdir, rename, rm, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { isValidHash } from './cache-path';
import { digestFrom, loadKey, syncDir } from './disk';
import { HEADER_BYTES, decodeHeader, encodeHeader, verifyEntry } from './entry-format';
import { planRoom } from './limits';
import type { CacheStats } from './stats';

/**
 * The entries on disk, and the in-memory index of them (size, last use, readers) that the size
 * bound and the LRU eviction decide on. Layout under the store directory:
 *   entries/<hash>   published entries (header + body, see entry-format.ts), read-only files
 *   tmp/             uploads in progress; emptied at start, so a crash leaves no partial entry
 *   quarantine/      entries that failed verification, kept for inspection, never served
 *   server.key       the MAC key, unless another key file is given
 * The index is the truth for what exists: a file that appears in entries/ behind the server's
 * back is never served (and is moved to quarantine/ when a PUT of its hash meets it).
 */
export interface StoreOptions {
  dir: string;
  maxStoreBytes: number;
  keyFile?: string;
  /** How long a write waits for entries being read to finish when only they could make room. */
  roomWaitMs?: number;
  stats: CacheStats;
  log: (line: string) => void;
}

interface Entry {
  /** Bytes on disk, header included: what the bound counts. */
  size: number;
  lastUsed: number;
  readers: number;
}

export type WriteResult =
  | { kind: 'stored' }
  | { kind: 'exists' }
  | { kind: 'too-large' }
  | { kind: 'incomplete' }
  | { kind: 'store-full'; why: string };

export type ReadResult = { kind: 'miss' } | { kind: 'hit'; size: number; body: Readable; release: () => void };

export class Store {
  private readonly index = new Map<string, Entry>();
  /** Evicted entries whose files are still being unlinked, and the unlink to wait for. */
  private readonly evicting = new Map<string, Promise<void>>();
  /** The last publish of each hash in progress (see oneAtATime). */
  private readonly publishing = new Map<string, Promise<void>>();
  /** Bytes of published entries plus bytes reserved by writes about to publish. */
  private used = 0;

  private constructor(
    private readonly o: StoreOptions,
    private readonly key: Buffer,
  ) {}

  private get entries(): string {
    return join(this.o.dir, 'entries');
  }

  static async open(o: StoreOptions): Promise<Store> {
    for (const sub of ['entries', 'tmp', 'quarantine']) await mkdir(join(o.dir, sub), { recursive: true, mode: 0o700 });
    const store = new Store(o, await loadKey(o.keyFile ?? join(o.dir, 'server.key')));
    await store.scan();
    return store;
  }

  get usedBytes(): number {
    return this.used;
  }

  get entryCount(): number {
    return this.index.size;
  }

  has(hash: string): boolean {
    return this.index.has(hash);
  }

  /** Seed the index from disk: sizes, and last use from mtimes. Leftover uploads are removed. */
  private async scan(): Promise<void> {
    await rm(join(this.o.dir, 'tmp'), { recursive: true, force: true });
    await mkdir(join(this.o.dir, 'tmp'), { mode: 0o700 });
    for (const name of await readdir(this.entries)) {
      // lstat: a symlink is no entry (it could point at the key, or anywhere).
      const st = await lstat(join(this.entries, name)).catch(() => undefined);
      if (!isValidHash(name) || !st?.isFile()) {
        await this.quarantineFile(name, 'not an entry name or not a file');
        continue;
      }
      this.index.set(name, { size: st.size, lastUsed: st.mtimeMs, readers: 0 });
      this.used += st.size;
    }
    const room = planRoom(this.candidates(), this.used, 0, this.o.maxStoreBytes);
    if (room.ok) await this.evict(room.evict);
  }

  /**
   * Verify, then stream. The whole body is hashed and checked against its header before the
   * first byte goes out: a changed or planted entry is quarantined and reported as a miss, so Nx
   * rebuilds the task instead of restoring foreign bytes. The bytes served are those of the same
   * open file, up to the size verified.
   */
  async read(hash: string): Promise<ReadResult> {
    const e = this.index.get(hash);
    if (!e) return { kind: 'miss' };
    // Counted before the first await: from here on no eviction picks this entry.
    e.readers++;
    e.lastUsed = Date.now();
    let released = false;
    const release = () => {
      if (!released) (released = true), e.readers--;
    };
    let fh: FileHandle | undefined;
    try {
      const path = join(this.entries, hash);
      fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
      const st = await fh.stat();
      const head = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await fh.read(head, 0, HEADER_BYTES, 0);
      const bodySize = st.size - HEADER_BYTES;
      const header = bytesRead === HEADER_BYTES && bodySize >= 0 ? decodeHeader(head) : undefined;
      const verdict = verifyEntry(this.key, hash, header, bodySize, header ? await digestFrom(fh, HEADER_BYTES, bodySize) : '');
      if (!verdict.ok) {
        await fh.close();
        fh = undefined;
        await this.quarantine(hash, e, verdict.why);
        release();
        return { kind: 'miss' };
      }
      utimes(path, new Date(), new Date()).catch(() => {}); // so the LRU order survives a restart
      const body = bodySize === 0 ? Readable.from([]) : fh.createReadStream({ start: HEADER_BYTES, end: st.size - 1, autoClose: true });
      if (bodySize === 0) await fh.close();
      fh = undefined;
      return { kind: 'hit', size: bodySize, body, release };
    } catch (err) {
      await fh?.close().catch(() => {});
      release();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') {
        // Replaced by a symlink behind the server's back: never followed, moved aside.
        await this.quarantine(hash, e, 'a symlink, not an entry');
        return { kind: 'miss' };
      }
      if (code === 'ENOENT') {
        if (this.index.get(hash) === e) this.forget(hash, e);
        this.o.log(`cache-server: entry ${hash} vanished from disk; dropped from the index`);
        return { kind: 'miss' };
      }
      throw err;
    }
  }

  /**
   * Store a body under `hash`, never replacing anything. The body goes to a temporary file in the
   * store (same filesystem), is fsynced, room is made, and it is published with link(), which
   * fails if the name exists: of two racing PUTs of one hash exactly one wins, and an existing
   * entry is never overwritten. Any failure before that leaves nothing but a removed temp file.
   */
  async write(hash: string, body: AsyncIterable<Buffer>, length: number, maxEntryBytes: number): Promise<WriteResult> {
    if (this.index.has(hash)) return { kind: 'exists' };
    const tmp = join(this.o.dir, 'tmp', `${hash}.${randomUUID()}`);
    let fh: FileHandle | undefined;
    let reserved = 0;
    try {
      fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      const sha = createHash('sha256');
      let n = 0;
      try {
        for await (const chunk of body) {
          n += chunk.length;
          if (n > length || n > maxEntryBytes) return { kind: 'too-large' };
          sha.update(chunk);
          await fh.write(chunk, 0, chunk.length, HEADER_BYTES + n - chunk.length);
        }
      } catch {
        return { kind: 'incomplete' }; // the client went away or timed out mid-body
      }
      if (n !== length) return { kind: 'incomplete' };
      await fh.write(encodeHeader(this.key, hash, n, sha.digest('hex')), 0, HEADER_BYTES, 0);
      await fh.chmod(0o400);
      await fh.sync();
      await fh.close();
      fh = undefined;

      const size = HEADER_BYTES + n;
      if (this.index.has(hash)) return { kind: 'exists' }; // a racing writer won: evict nothing for us
      const room = await this.makeRoom(size);
      if (!room.ok) return { kind: 'store-full', why: room.why };
      reserved = size;
      if (!(await this.oneAtATime(hash, () => this.publish(tmp, hash, size)))) return { kind: 'exists' };
      reserved = 0; // now counted as the entry's
      await syncDir(this.entries);
      return { kind: 'stored' };
    } finally {
      this.used -= reserved;
      await fh?.close().catch(() => {});
      await unlink(tmp).catch(() => {});
    }
  }

  /**
   * Publishes of one hash run one after another, so each sees what the one before it indexed:
   * a writer that loses a race finds the winner in the index, and never takes the winner's
   * just-linked file for a stranger.
   */
  private async oneAtATime<T>(hash: string, step: () => Promise<T>): Promise<T> {
    const run = (this.publishing.get(hash) ?? Promise.resolve()).then(step);
    const settled = run.then(
      () => {},
      () => {},
    );
    this.publishing.set(hash, settled);
    try {
      return await run;
    } finally {
      if (this.publishing.get(hash) === settled) this.publishing.delete(hash);
    }
  }

  /** link(tmp, entries/<hash>) and index it; false when an entry of that hash exists. */
  private async publish(tmp: string, hash: string, size: number): Promise<boolean> {
    const final = join(this.entries, hash);
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.index.has(hash)) return false;
      try {
        await link(tmp, final);
        this.index.set(hash, { size, lastUsed: Date.now(), readers: 0 });
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        // An evicted entry's file not yet unlinked: wait for it, then publish.
        const unlinking = this.evicting.get(hash);
        if (unlinking) {
          await unlinking;
          continue;
        }
        // Ours (published by a racing PUT): refuse. A stranger (put there behind the server's
        // back): move it aside once; it must neither be served nor block the hash.
        if (this.index.has(hash) || attempt > 0) return false;
        await this.quarantineFile(hash, 'found in entries/ but never published by this server');
      }
    }
    return false;
  }

  /**
   * Reserve `size` bytes, evicting least-recently-used idle entries. The decision and the
   * reservation happen in one synchronous step, so concurrent writes cannot both count the same
   * free space. When only entries being read stand in the way, wait for their readers.
   */
  private async makeRoom(size: number): Promise<{ ok: true } | { ok: false; why: string }> {
    const deadline = Date.now() + (this.o.roomWaitMs ?? 10_000);
    for (;;) {
      const room = planRoom(this.candidates(), this.used, size, this.o.maxStoreBytes);
      if (room.ok) {
        this.used += size;
        await this.evict(room.evict);
        return { ok: true };
      }
      if (room.reason === 'larger-than-store') return { ok: false, why: `entry of ${size} bytes is larger than the whole store (${this.o.maxStoreBytes} bytes)` };
      if (Date.now() >= deadline) return { ok: false, why: 'the store is full of entries being read' };
      await sleep(25);
    }
  }

  private *candidates() {
    for (const [hash, e] of this.index) yield { hash, size: e.size, lastUsed: e.lastUsed, readers: e.readers };
  }

  private forget(hash: string, e: Entry): void {
    this.index.delete(hash);
    this.used -= e.size;
  }

  /**
   * Drop entries from the index and unlink their files. The index and `evicting` change together
   * in this synchronous step, so no moment exists where a file is on disk but known to neither,
   * which a write of the same hash would take for a planted stranger.
   */
  private evict(hashes: string[]): Promise<unknown> {
    return Promise.all(
      hashes.map((h) => {
        this.forget(h, this.index.get(h)!);
        this.o.stats.evictions++;
        const done: Promise<void> = unlink(join(this.entries, h))
          .catch(() => {})
          .finally(() => {
            if (this.evicting.get(h) === done) this.evicting.delete(h);
          });
        this.evicting.set(h, done);
        return done;
      }),
    );
  }

  private async quarantine(hash: string, e: Entry, why: string): Promise<void> {
    if (this.index.get(hash) === e) this.forget(hash, e);
    await this.quarantineFile(hash, why);
  }

  /** Move a file out of entries/ (never delete it: it is evidence), and say so. */
  private async quarantineFile(name: string, why: string): Promise<void> {
    const safe = isValidHash(name) ? name : 'unnamed';
    const dest = join(this.o.dir, 'quarantine', `${safe}.${Date.now()}.${randomUUID().slice(0, 8)}`);
    try {
      await rename(join(this.entries, name), dest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // another reader moved it already
      throw err;
    }
    this.o.stats.quarantined++;
    this.o.log(`cache-server: quarantined ${JSON.stringify(name.slice(0, 200))}: ${why}; moved to ${dest}, never served`);
  }
}
