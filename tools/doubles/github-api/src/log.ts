/**
 * What the server saw and did, so tests can assert on behaviour ("no mutating request",
 * "two 502s then a 201") rather than on the client's own account of it. Headers are never
 * recorded: that is where the token travels.
 */
import type { SchemaProblem } from './openapi/validator';

export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  /** Path and query as received. */
  path: string;
  /** GitHub's operationId, `download` for browser downloads, or null when nothing matched. */
  operationId: string | null;
  /** 0 when the connection was dropped on purpose. */
  status: number;
  /** True for anything but GET/HEAD/OPTIONS: the requests a dry run must never send. */
  mutating: boolean;
  /** The injected fault that shaped this response, if any. */
  fault?: string;
  /** 'valid' when the response body was checked against the description and passed. */
  response: 'valid' | 'invalid' | 'unchecked';
  durationMs: number;
}

export interface ValidationFailure {
  seq: number;
  method: string;
  path: string;
  operationId: string;
  status: number;
  problems: SchemaProblem[];
}

export function isMutating(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private failures: ValidationFailure[] = [];
  private seq = 0;

  nextSeq(): number {
    return ++this.seq;
  }

  record(entry: LoggedRequest): void {
    this.entries.push(entry);
  }

  /** A response that broke the description: a bug in this server, never the client's fault. */
  recordValidationFailure(failure: ValidationFailure): void {
    this.failures.push(failure);
  }

  requests(): LoggedRequest[] {
    return this.entries.map((e) => ({ ...e }));
  }

  validationErrors(): ValidationFailure[] {
    return structuredClone(this.failures);
  }

  /** Clears the request list; validation failures stay, so a mid-test clear cannot hide one. */
  clear(): void {
    this.entries = [];
  }
}
