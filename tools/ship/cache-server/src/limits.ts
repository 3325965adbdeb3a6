/** Size decisions, pure: what a PUT's Content-Length allows, and what to evict to make room. */

export type LengthDecision = { ok: true; length: number } | { ok: false; status: 400 | 413; reason: 'no-length' | 'too-large'; message: string };

/**
 * The body size a PUT announces. Nx always sends Content-Length; requiring it lets a too-large
 * upload be refused before a byte of it is read, and makes a short body (the client gave up) a
 * detectable partial upload rather than a truncated entry.
 */
export function checkContentLength(header: string | undefined, maxEntryBytes: number): LengthDecision {
  if (header === undefined || !/^\d{1,15}$/.test(header.trim()))
    return { ok: false, status: 400, reason: 'no-length', message: 'a PUT needs a Content-Length header with the body size in bytes' };
  const length = Number(header.trim());
  if (length > maxEntryBytes) return { ok: false, status: 413, reason: 'too-large', message: `entry of ${length} bytes is over this cache's limit of ${maxEntryBytes} bytes` };
  return { ok: true, length };
}

export interface EvictionCandidate {
  hash: string;
  size: number;
  /** When it was last written or read (ms); the least recent goes first. */
  lastUsed: number;
  /** Responses streaming it right now: such an entry is never evicted. */
  readers: number;
}

export type RoomDecision =
  | { ok: true; evict: string[] }
  /** Even an empty store could not hold it. */
  | { ok: false; reason: 'larger-than-store' }
  /** Room could be made only by evicting entries being read: wait for them to finish. */
  | { ok: false; reason: 'busy' };

/**
 * Which entries to evict, least recently used first, so that `incoming` more bytes fit within
 * `maxStoreBytes` when `usedBytes` are taken. Entries being read are skipped.
 */
export function planRoom(entries: Iterable<EvictionCandidate>, usedBytes: number, incoming: number, maxStoreBytes: number): RoomDecision {
  if (incoming > maxStoreBytes) return { ok: false, reason: 'larger-than-store' };
  let excess = usedBytes + incoming - maxStoreBytes;
  if (excess <= 0) return { ok: true, evict: [] };
  const idle = [...entries].filter((e) => e.readers === 0).sort((a, b) => a.lastUsed - b.lastUsed || (a.hash < b.hash ? -1 : 1));
  const evict: string[] = [];
  for (const e of idle) {
    if (excess <= 0) break;
    evict.push(e.hash);
    excess -= e.size;
  }
  return excess <= 0 ? { ok: true, evict } : { ok: false, reason: 'busy' };
}
