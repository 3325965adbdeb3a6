import type { Import } from './imports';
import type { Project, Workspace } from './workspace';

export interface Finding {
  rule: string;
  file: string;
  line: number;
  message: string;
}

/** One import as a rule sees it: where it stands, what it names, and what that resolves to. */
export interface ImportSite {
  ws: Workspace;
  file: string;
  project: Project | undefined;
  isTest: boolean;
  imp: Import;
  /** For an `@bllvm/*` or relative import: the project it lands in (undefined: outside every project). */
  target?: { project: Project | undefined; path: string };
}

export interface Rule {
  id: string;
  why: string;
  check(site: ImportSite): string | undefined;
}
