import type { Finding } from '../finding';

/**
 * GitHub Actions annotation commands, one line per finding: `::error file=…,line=…,col=…,title=…::message`.
 * The runner turns each into an annotation on the file; the message carries the fix on a second line.
 */
export function formatGithub(findings: readonly Finding[]): string {
  return findings
    .map((f) => {
      const where = f.line > 0 ? `,line=${f.line}${f.column > 0 ? `,col=${f.column}` : ''}` : '';
      return `::error file=${escapeProperty(f.file)}${where},title=${escapeProperty(`workflow-check ${f.rule}`)}::${escapeData(`${f.message}\nfix: ${f.fix}`)}`;
    })
    .join('\n');
}

/** The message part: `%`, CR and LF would end or corrupt the command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: also `:` and `,`, which separate the properties and the message. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
