import { redactCredentials } from './redact';

export { redactCredentials } from './redact';

/**
 * The base of every error that reports a problem for a person to act on (a bad file, a rejected
 * event, a failed push, a GitHub refusal), as opposed to a bug. The CLI prints its message alone
 * and exits with its `exitCode`; anything else is a bug and is printed with its stack.
 * It lives here, in the library every layer already depends on, so each layer's errors share it.
 */
export class OrchestratorError extends Error {
  /** Process exit code when this error ends a command: 1 a failure to act on, 2 a wrong invocation. */
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    // By shape only: an error cannot know the configured secrets; whoever prints it can add them.
    super(redactCredentials(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OrchestratorError';
    this.exitCode = options.exitCode ?? 1;
  }
}

/** An error in a file we were asked to read: says which file, where, which field and what is wrong. */
export class ManifestError extends OrchestratorError {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly where: { line?: number; column?: number; field?: string } = {},
  ) {
    super(formatLocation(file, where) + problem);
    this.name = 'ManifestError';
  }
}

/** Several problems found in one pass, so a user fixes them all at once instead of one per run. */
export class ManifestErrors extends OrchestratorError {
  constructor(readonly errors: ManifestError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'ManifestErrors';
  }
}

/** One problem as a ManifestError, several as ManifestErrors; nothing when there are none. */
export function throwIfAny(errors: readonly ManifestError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ManifestErrors([...errors]);
}

function formatLocation(file: string, where: { line?: number; column?: number; field?: string }): string {
  let loc = file;
  if (where.line !== undefined) loc += `:${where.line}`;
  if (where.line !== undefined && where.column !== undefined) loc += `:${where.column}`;
  return where.field ? `${loc}: ${where.field}: ` : `${loc}: `;
}

/** Best-effort line of `key = ...` or `[table.key]` in TOML text; semantic errors have no parser position. */
export function lineOfKey(text: string, key: string): number | undefined {
  const esc = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^\\s*(?:\\[[^\\]]*\\b${esc}\\]|"?${esc}"?\\s*=)`);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if (re.test(lines[i]!)) return i + 1;
  return undefined;
}
