import { OrchestratorError } from '@bllvm/manifest';

/** Parsing of the command line's values, pure. */

export class UsageError extends OrchestratorError {
  constructor(message: string) {
    super(`cache-server: ${message} (see cache-server --help)`, { exitCode: 2 });
    this.name = 'UsageError';
  }
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `1048576`, `512M`, `20G` (binary units; a trailing `B`/`iB` is allowed) → bytes. */
export function parseBytes(flag: string, text: string): number {
  const m = /^(\d+)\s*([kmgt]?)(i?b)?$/i.exec(text.trim());
  const n = m ? Number(m[1]) * UNITS[m[2]!.toLowerCase()]! : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`${flag} takes a positive size like 52428800, 512M or 20G, not "${text.slice(0, 40)}"`);
  return n;
}

/** `30`, `2.5` → milliseconds; a positive number of seconds (`undefined` when the flag is absent). */
export function parseSeconds(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`${flag} takes a positive number of seconds, not "${text.slice(0, 40)}"`);
  return n * 1000;
}

/** A positive whole number (`undefined` when the flag is absent). */
export function parseCount(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(Number.isSafeInteger(n) && n > 0)) throw new UsageError(`${flag} takes a positive whole number, not "${text.slice(0, 40)}"`);
  return n;
}

/** `HOST:PORT`, `[v6]:PORT` or `:PORT` (loopback) → where to listen. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`--listen takes HOST:PORT (e.g. 127.0.0.1:8090, [::1]:8090 or 0.0.0.0:8090), not "${text.slice(0, 80)}"`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}
