/** The few raw-HTTP chores the server needs: reading bodies within a limit and writing replies. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, instead of body. */
  raw?: Buffer;
  headers?: Record<string, string>;
}

export function send(res: ServerResponse, reply: Reply, head = false): void {
  if (res.headersSent || res.destroyed) return;
  const body = reply.raw ?? (reply.body === undefined ? undefined : Buffer.from(JSON.stringify(reply.body)));
  res.writeHead(reply.status, {
    ...(body ? { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) } : {}),
    ...reply.headers,
  });
  res.end(head ? undefined : body);
}

/** The body, or null when it grew past `limit` (read to the end anyway, so the client gets a reply). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  // Already read (a handler drained it before refusing): 'end' will not come again.
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', () => resolve(null));
  });
}

export async function drain(req: IncomingMessage): Promise<void> {
  await readBody(req, 0);
}
