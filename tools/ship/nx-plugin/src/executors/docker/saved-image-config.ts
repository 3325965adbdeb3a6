// Why a base image's config is read from `docker save` and not from `docker image inspect`:
// podman's Docker API answers `Config.OnBuild: null` for an image whose config holds ONBUILD
// triggers, and runs those triggers in a build FROM it (test/e2e/image-network.e2e.test.ts). The
// saved archive carries the config as the engine stores it. The stream is read once and the
// layers are dropped as they pass: memory holds only the small JSON members, nothing is written.

const BLOCK = 512;
/** A config or manifest larger than this is not one the engines write; its member is skipped. */
const MAX_JSON_BYTES = 4 * 1024 * 1024;

/**
 * The image config of the one image in a docker-archive tar stream (`docker save <ref>`): the
 * member `manifest.json` names. Reads ustar headers with pax and GNU long names; keeps only
 * `*.json` and `manifest.json` members. Throws naming what is missing. Pure over its input.
 */
export async function savedImageConfig(stream: AsyncIterable<Buffer | Uint8Array | string>): Promise<Record<string, unknown>> {
  const kept = new Map<string, Buffer>();
  let buffer = Buffer.alloc(0);
  // What to do with the next `remaining` bytes of a member's data (padding included in `skip`).
  let member: { name: string; size: number; keep: boolean; type: string; parts: Buffer[]; remaining: number } | undefined;
  let skip = 0;
  let longName: string | undefined;
  let ended = false;
  for await (const chunk of stream) {
    buffer = Buffer.concat([buffer, typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk)]);
    for (;;) {
      if (ended) break;
      if (skip > 0) {
        const n = Math.min(skip, buffer.length);
        buffer = buffer.subarray(n);
        skip -= n;
        if (skip > 0) break;
      }
      if (member) {
        const n = Math.min(member.remaining, buffer.length);
        if (member.keep) member.parts.push(Buffer.from(buffer.subarray(0, n)));
        buffer = buffer.subarray(n);
        member.remaining -= n;
        if (member.remaining > 0) break;
        const data = Buffer.concat(member.parts);
        if (member.type === 'x') longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1] ?? longName;
        else if (member.type === 'L') longName = data.toString('utf8').replace(/\0+$/, '');
        else if (member.keep) kept.set(member.name, data);
        skip = (BLOCK - (member.size % BLOCK)) % BLOCK;
        member = undefined;
        continue;
      }
      if (buffer.length < BLOCK) break;
      const header = buffer.subarray(0, BLOCK);
      buffer = buffer.subarray(BLOCK);
      if (header.every((b) => b === 0)) {
        ended = true;
        break;
      }
      const type = String.fromCharCode(header[156] || 0x30);
      const size = sizeField(header);
      const prefix = text(header, 345, 155);
      const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
      const meta = type === 'x' || type === 'L';
      if (!meta) longName = undefined;
      const keep = meta || ((type === '0' || type === '\0') && (name === 'manifest.json' || name.endsWith('.json')) && size <= MAX_JSON_BYTES);
      member = { name, size, keep, type, parts: [], remaining: size };
    }
  }
  const manifest = kept.get('manifest.json');
  if (!manifest) throw new Error('the saved image has no manifest.json (not a docker-archive)');
  const images = JSON.parse(manifest.toString('utf8')) as { Config?: string }[];
  if (!Array.isArray(images) || images.length !== 1 || typeof images[0]?.Config !== 'string') throw new Error('the saved archive does not hold exactly one image with a config');
  const config = kept.get(images[0].Config);
  if (!config) throw new Error(`the saved image has no config ${images[0].Config}`);
  return JSON.parse(config.toString('utf8')) as Record<string, unknown>;
}

/** The ONBUILD triggers of an image config (`config.OnBuild`), as the builder reads them. Pure. */
export function configTriggers(config: Record<string, unknown>): string[] {
  const inner = config.config;
  const triggers = inner && typeof inner === 'object' ? (inner as Record<string, unknown>).OnBuild : undefined;
  return Array.isArray(triggers) ? triggers.map(String) : [];
}

function text(header: Buffer, offset: number, length: number): string {
  const field = header.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('utf8');
}

/** The size field: octal, or base-256 (high bit set) for members of 8 GiB and more. */
function sizeField(header: Buffer): number {
  if (header[124]! & 0x80) {
    let n = header[124]! & 0x7f;
    for (let i = 125; i < 136; i++) n = n * 256 + header[i]!;
    return n;
  }
  const s = text(header, 124, 12).trim();
  return s ? parseInt(s, 8) : 0;
}
