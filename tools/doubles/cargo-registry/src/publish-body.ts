/**
 * The body of `PUT /api/v1/crates/new`: a little-endian u32 length, that many bytes of JSON
 * metadata, another u32 length, that many bytes of `.crate`. Pure. Every length is checked
 * against the limits and against what was actually received before anything is sliced or parsed.
 */
import { RegistryError } from './errors';

export interface PublishLimits {
  /** Largest metadata JSON accepted (it carries the README). */
  maxMetadataBytes: number;
  /** Largest .crate accepted (crates.io's default is 10 MiB). */
  maxCrateBytes: number;
}

export const DEFAULT_PUBLISH_LIMITS: PublishLimits = { maxMetadataBytes: 4 * 1024 * 1024, maxCrateBytes: 10 * 1024 * 1024 };

/** The largest well-formed body under these limits: anything longer can be refused unread. */
export function maxPublishBody(limits: PublishLimits): number {
  return 8 + limits.maxMetadataBytes + limits.maxCrateBytes;
}

export interface PublishBody {
  /** The metadata, parsed but not yet validated (see validatePublishMetadata). */
  json: unknown;
  crate: Buffer;
}

const bad = (detail: string) => new RegistryError(400, `invalid upload request: ${detail}`);

export function parsePublishBody(body: Buffer, limits: PublishLimits = DEFAULT_PUBLISH_LIMITS): PublishBody {
  if (body.length < 4) throw bad(`the body is ${body.length} bytes, too short for the metadata length`);
  const jsonLength = body.readUInt32LE(0);
  if (jsonLength > limits.maxMetadataBytes) throw bad(`the metadata length ${jsonLength} exceeds the limit of ${limits.maxMetadataBytes} bytes`);
  if (body.length < 4 + jsonLength + 4) throw bad(`the body is ${body.length} bytes, too short for ${jsonLength} bytes of metadata and the .crate length`);
  const crateLength = body.readUInt32LE(4 + jsonLength);
  if (crateLength > limits.maxCrateBytes) throw bad(`the .crate length ${crateLength} exceeds the limit of ${limits.maxCrateBytes} bytes`);
  const expected = 8 + jsonLength + crateLength;
  if (body.length !== expected) {
    throw bad(`the body is ${body.length} bytes but its lengths say ${expected} (${jsonLength} of metadata, ${crateLength} of .crate)`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(4, 4 + jsonLength));
  } catch {
    throw bad('the metadata is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw bad(`the metadata is not JSON: ${(error as Error).message}`);
  }
  return { json, crate: Buffer.from(body.subarray(8 + jsonLength)) };
}

/** The body cargo sends, for tests and tools that publish without cargo. */
export function encodePublishBody(metadata: unknown, crate: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(metadata), 'utf8');
  const lengths = Buffer.alloc(8);
  lengths.writeUInt32LE(json.length, 0);
  lengths.writeUInt32LE(crate.length, 4);
  return Buffer.concat([lengths.subarray(0, 4), json, lengths.subarray(4), crate]);
}
