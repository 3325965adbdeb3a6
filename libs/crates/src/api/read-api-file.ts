import { open } from 'node:fs/promises';
import { readRustdocApi, type PublicApi } from './read-api';
import { API_LIMITS, ApiReadError } from './rustdoc-json';

/**
 * A rustdoc JSON file read as untrusted data (the `api` target writes it from a sandbox that ran the
 * component's code): refused past `maxBytes` before it is read, then parsed and modelled by readRustdocApi.
 */
export async function readRustdocApiFile(file: string, opts: { maxBytes?: number } = {}): Promise<PublicApi> {
  const maxBytes = opts.maxBytes ?? API_LIMITS.fileBytes;
  const handle = await open(file, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new ApiReadError(`${file}: cannot be read (${e.code ?? e.message})`);
  });
  let text: string;
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new ApiReadError(`${file}: not a regular file`);
    if (st.size > maxBytes) throw new ApiReadError(`${file}: ${st.size} bytes, over the ${maxBytes} a rustdoc JSON file may have`);
    const buf = Buffer.alloc(st.size);
    const { bytesRead } = await handle.read(buf, 0, st.size, 0);
    text = buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ApiReadError(`${file}: not JSON (${(e as Error).message.split('\n')[0]})`);
  }
  return readRustdocApi(json, file);
}
