/** An error in a file we were asked to read: says which file, where, which field and what is wrong. */
export class ManifestError extends Error {
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
export class ManifestErrors extends Error {
  constructor(readonly errors: ManifestError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'ManifestErrors';
  }
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
