const BLOCK = 512;
/** pax records that carry a time; each is clamped like the header's mtime. */
const PAX_TIMES = new Set(['mtime', 'atime', 'ctime']);

/**
 * A layer tar with every time later than `epoch` set to `epoch`, as BuildKit's
 * `rewrite-timestamp` does: the folders a COPY creates (`/usr/local/bin/`) are dated by the build's
 * clock, the copied files by the context (the pins). Edited in place in a copy, header by header,
 * so owners, modes, links, pax records and the order stay exactly as the engine wrote them; a pax
 * time is rewritten with the same number of characters (its record length is part of the
 * format). Pure; throws on a truncated archive or a pax time that cannot be rewritten in place.
 */
export function clampLayerTimes(layer: Buffer, epoch: number): Buffer {
  const out = Buffer.from(layer);
  let ended = false;
  for (let at = 0; at + BLOCK <= out.length; ) {
    const header = out.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) {
      ended = true;
      break;
    }
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    if (!Number.isSafeInteger(size) || at + BLOCK + size > out.length) throw new Error(`layer tar truncated in the member at byte ${at}`);
    if (octal(header, 136, 12) > epoch) {
      header.write(epoch.toString(8).padStart(11, '0') + '\0', 136, 12, 'ascii');
      checksum(header);
    }
    if (type === 'x' || type === 'g') clampPax(out.subarray(at + BLOCK, at + BLOCK + size), epoch);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  // A layer ends with zero blocks; without them the archive was cut short.
  if (!ended) throw new Error('layer tar truncated: no end-of-archive block');
  return out;
}

/** Rewrites `<len> <key>=<value>\n` time records of a pax header in place. */
function clampPax(data: Buffer, epoch: number): void {
  for (let at = 0; at < data.length; ) {
    const space = data.indexOf(0x20, at);
    if (space < 0) break;
    const length = Number(data.subarray(at, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, at + length - 1); // without the trailing newline
    const eq = record.indexOf(0x3d);
    const key = record.subarray(0, eq).toString('utf8');
    if (PAX_TIMES.has(key)) {
      const value = record.subarray(eq + 1).toString('ascii');
      if (Number(value) > epoch) {
        const [whole, fraction] = value.split('.');
        const clamped = String(epoch) + (fraction === undefined ? '' : `.${'0'.repeat(fraction.length)}`);
        if (clamped.length !== value.length || whole === undefined) throw new Error(`pax ${key}=${value} cannot be clamped to ${epoch} in place`);
        record.write(clamped, eq + 1, 'ascii');
      }
    }
    at += length;
  }
}

function checksum(header: Buffer): void {
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
}

function octal(header: Buffer, offset: number, length: number): number {
  const field = header.subarray(offset, offset + length);
  const end = field.indexOf(0);
  const s = field.subarray(0, end < 0 ? length : end).toString('ascii').trim();
  return s ? parseInt(s, 8) : 0;
}
