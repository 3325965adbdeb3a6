import { createHash } from 'node:crypto';
import { OrchestratorError } from '@bllvm/manifest';

/**
 * What a bearer token may do. A read token restores task outputs; a write token also stores them.
 * Pull requests get a read token only, so a pull request cannot plant an output under a hash the
 * protected branch will later use (the flaw of one bucket credential for everything).
 */
export type Access = 'read' | 'write';

/** The accepted tokens, as sha256 digests only: the server never holds a usable secret. */
export interface TokenDigests {
  read: readonly Buffer[];
  write: readonly Buffer[];
}

/** The sha256 of a token, hex: what a tokens file line holds (`read <hex>` / `write <hex>`). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class TokensFileError extends OrchestratorError {
  constructor(file: string, line: number, problem: string) {
    super(`${file}:${line}: ${problem}; each line is "read <sha256 of the token>" or "write <sha256 of the token>" (make one with: cache-server hash-token --access read < token), "#" starts a comment`, { exitCode: 2 });
    this.name = 'TokensFileError';
  }
}

/**
 * Parse a tokens file. Strict: a line that is neither blank, a comment nor a well-formed entry is
 * an error rather than skipped, since a silently ignored line is a token that stops working (or a
 * plain token pasted where its digest belongs, which would otherwise sit there readable).
 */
export function parseTokensFile(text: string, file = 'tokens file'): TokenDigests {
  const read: Buffer[] = [];
  const write: Buffer[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const m = /^(read|write)\s+([0-9a-fA-F]{64})$/.exec(line);
    if (!m) throw new TokensFileError(file, i + 1, 'not a token line');
    (m[1] === 'read' ? read : write).push(Buffer.from(m[2]!.toLowerCase(), 'hex'));
  });
  if (read.length + write.length === 0) throw new TokensFileError(file, 1, 'no token at all, so every request would be refused');
  return { read, write };
}

/** Digests of tokens given in plain (programmatic use: tests, a rehearsal). */
export function digestsOf(readTokens: readonly string[], writeTokens: readonly string[]): TokenDigests {
  const digest = (t: string) => Buffer.from(hashToken(t), 'hex');
  return { read: readTokens.map(digest), write: writeTokens.map(digest) };
}
