/** One problem in one workflow file. `rule` is `parser` for what GitHub's own parser rejects. */
export interface Finding {
  /** The workflow's file name, relative to the folder that was checked. */
  file: string;
  /** 1-based; 0 when nothing narrower than the file can be named. */
  line: number;
  rule: string;
  message: string;
}

export function byPosition(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message);
}
