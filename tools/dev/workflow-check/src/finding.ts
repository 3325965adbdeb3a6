/** A place in a workflow file, 1-based; 0 for the line (and column) when nothing narrower than the file can be named. */
export interface Position {
  line: number;
  column: number;
}

/** One problem in one workflow file. `rule` is `parser` for what GitHub's own parser rejects. */
export interface Finding extends Position {
  /** The workflow's file name, relative to the folder that was checked. */
  file: string;
  rule: string;
  message: string;
  /** What to change, concretely enough to act on without reading the rule. */
  fix: string;
}

/** By file and line, then rule and message (so one rule's findings on a line stay together), then column. */
export function byPosition(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message) || a.column - b.column;
}
