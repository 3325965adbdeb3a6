import type { Finding } from '../finding';

/** `file:line:col rule message`, then the fix indented under it. */
export function formatText(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}\n  fix: ${f.fix}`).join('\n');
}
