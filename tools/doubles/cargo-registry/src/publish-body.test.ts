import { describe, expect, it } from 'vitest';
import { RegistryError } from './errors';
import { encodePublishBody, maxPublishBody, parsePublishBody } from './publish-body';

const limits = { maxMetadataBytes: 1000, maxCrateBytes: 2000 };

function raw(jsonLength: number, json: Buffer, crateLength: number, crate: Buffer): Buffer {
  const a = Buffer.alloc(4);
  a.writeUInt32LE(jsonLength);
  const b = Buffer.alloc(4);
  b.writeUInt32LE(crateLength);
  return Buffer.concat([a, json, b, crate]);
}

function refusal(body: Buffer): string {
  try {
    parsePublishBody(body, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(400);
    return (error as RegistryError).detail;
  }
  throw new Error('accepted');
}

describe('parsePublishBody', () => {
  it('reads what cargo sends: u32 LE length, JSON, u32 LE length, .crate', () => {
    const crate = Buffer.from([1, 2, 3, 0, 255]);
    const body = encodePublishBody({ name: 'leaf', vers: '0.1.0' }, crate);
    expect(body.readUInt32LE(0)).toBe(JSON.stringify({ name: 'leaf', vers: '0.1.0' }).length);
    const parsed = parsePublishBody(body, limits);
    expect(parsed.json).toEqual({ name: 'leaf', vers: '0.1.0' });
    expect(parsed.crate.equals(crate)).toBe(true);
  });

  it('refuses absurd lengths before slicing anything', () => {
    expect(refusal(raw(0xffffffff, Buffer.from('{}'), 0, Buffer.alloc(0)))).toMatch(/metadata length 4294967295 exceeds the limit of 1000 bytes/);
    expect(refusal(raw(2, Buffer.from('{}'), 0xfffffff0, Buffer.alloc(3)))).toMatch(/\.crate length 4294967280 exceeds the limit of 2000 bytes/);
  });

  it('refuses a body whose lengths do not match what arrived', () => {
    expect(refusal(Buffer.from([1, 0]))).toMatch(/too short for the metadata length/);
    expect(refusal(raw(500, Buffer.from('{}'), 0, Buffer.alloc(0)))).toMatch(/too short for 500 bytes of metadata/);
    expect(refusal(raw(2, Buffer.from('{}'), 10, Buffer.alloc(3)))).toMatch(/body is 13 bytes but its lengths say 20/);
    expect(refusal(Buffer.concat([encodePublishBody({}, Buffer.alloc(3)), Buffer.from('extra')]))).toMatch(/lengths say/);
  });

  it('refuses metadata that is not UTF-8 JSON', () => {
    expect(refusal(raw(2, Buffer.from([0xc3, 0x28]), 0, Buffer.alloc(0)))).toMatch(/not valid UTF-8/);
    expect(refusal(raw(3, Buffer.from('{x}'), 0, Buffer.alloc(0)))).toMatch(/metadata is not JSON/);
  });

  it('bounds the whole body by the two limits', () => {
    expect(maxPublishBody(limits)).toBe(3008);
  });
});
