// Validation of names that end up in git commands and URLs. These strings come from files and
// dispatch payloads, so they are checked against a conservative whitelist rather than blacklisted.

const HEX40 = /^[0-9a-f]{40}$/;

export function isCommitSha(value: unknown): value is string {
  return typeof value === 'string' && HEX40.test(value);
}

/** A branch/tag name that git accepts and no shell or option parser can misread. */
export function refProblem(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return 'must be a string';
  if (ref.length === 0) return 'must not be empty';
  if (ref.length > 200) return 'is longer than 200 characters';
  if (!/^[A-Za-z0-9._/-]+$/.test(ref)) return `"${printable(ref)}" contains characters outside [A-Za-z0-9._/-]`;
  if (ref.startsWith('-')) return `"${ref}" starts with "-"`;
  if (ref.startsWith('/') || ref.endsWith('/') || ref.includes('//')) return `"${ref}" has an empty path component`;
  if (ref.includes('..')) return `"${ref}" contains ".."`;
  if (ref.endsWith('.lock') || ref.endsWith('.') || ref.split('/').some((p) => p.startsWith('.')))
    return `"${ref}" is not a valid git ref name`;
  if (ref === 'HEAD') return '"HEAD" is not a branch';
  return undefined;
}

/** owner/name as GitHub allows them. */
export function repositoryProblem(repo: unknown): string | undefined {
  if (typeof repo !== 'string') return 'must be a string';
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/.exec(repo);
  if (!m) return `"${printable(repo)}" is not of the form owner/name`;
  if (m[2] === '.' || m[2] === '..') return `"${repo}" is not a repository name`;
  return undefined;
}

/** Show control and non-ASCII characters escaped, so a look-alike or an escape sequence is visible in errors. */
export function printable(s: string, max = 80): string {
  const cut = s.length > max ? s.slice(0, max) + '…' : s;
  return cut.replace(/[^\x20-\x7e]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
