/** The few raw-HTTP chores the server needs: reading bodies within a limit and writing replies. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './handlers';

const MAX_BODY = 512 * 1024 * 1024;

/** Writes a reply (JSON or raw bytes) with the headers GitHub puts on every API response. */
export function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const body = reply.raw ?? (reply.body === undefined ? undefined : Buffer.from(JSON.stringify(reply.body)));
  res.writeHead(reply.status, {
    'x-github-api-version-selected': '2022-11-28',
    'x-github-request-id': randomUUID(),
    ...(body ? { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) } : {}),
    ...reply.headers,
  });
  res.end(body);
}

export function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) tooBig = true; // keep reading so the client sees a reply, not a reset
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks)));
    req.on('error', () => resolve(null));
  });
}

export async function drain(req: IncomingMessage): Promise<void> {
  await readBody(req);
}
