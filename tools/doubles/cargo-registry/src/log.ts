/**
 * What the registry saw and did, so tests can assert on behaviour ("one publish, refused") rather
 * than on cargo's account of it. Headers are never recorded: that is where the token travels.
 */
export type Operation = 'config' | 'index' | 'download' | 'publish' | 'yank' | 'unyank' | 'crate-info' | 'search';

export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  /** Path and query as received. */
  path: string;
  /** Null when nothing matched (a 404). */
  operation: Operation | null;
  status: number;
  /** True for anything but GET/HEAD/OPTIONS. */
  mutating: boolean;
  /** The error detail sent back, for refused requests. */
  error?: string;
  durationMs: number;
}

export function isMutating(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  nextSeq(): number {
    return ++this.seq;
  }

  record(entry: LoggedRequest): void {
    this.entries.push(entry);
  }

  requests(): LoggedRequest[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
