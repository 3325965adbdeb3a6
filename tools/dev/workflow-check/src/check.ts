import { join } from 'node:path';
import { byPosition, type Finding } from './finding';
import { formatText } from './formats/text';
import { parserFindings } from './parse';
import { ruleFindings } from './rules';
import { listWorkflowFiles, loadWorkflowFile, type WorkflowFile } from './workflow-file';
import { loadWorkspaceFacts, WORKSPACE_ROOT, type WorkspaceFacts } from './workspace-facts';

export interface CheckOptions {
  /** What targets and CLI commands exist; default: read from this workspace. */
  facts?: WorkspaceFacts;
  /**
   * owner/name of the repository the workflows belong to, so `<it>/.github/workflows/x.yml@ref`
   * resolves locally; default this orchestrator. Any other is taken for a component repository,
   * whose own checkout is component code (rule.ts, RuleContext.owner).
   */
  repository?: string | undefined;
  /** Report only these files of the folder; all are read, as runners and reusable workflows are shared. */
  only?: readonly string[];
}

/** A file that is not YAML at all: where, and what the YAML reader says. */
export interface MalformedFile {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface FolderReport {
  /** The workflow files reported on. */
  files: string[];
  findings: Finding[];
  malformed: MalformedFile[];
}

export const DEFAULT_WORKFLOW_DIR = join(WORKSPACE_ROOT, '.github', 'workflows');
export const THIS_REPOSITORY = 'BTCDecoded/bllvm';

/** Every finding for every workflow in `dir`: GitHub's parser first, then our rules. */
export async function checkWorkflows(dir = DEFAULT_WORKFLOW_DIR, options: CheckOptions = {}): Promise<Finding[]> {
  return (await checkFolder(dir, options)).findings;
}

export async function checkFolder(dir = DEFAULT_WORKFLOW_DIR, options: CheckOptions = {}): Promise<FolderReport> {
  const files = await Promise.all((await listWorkflowFiles(dir)).map((name) => loadWorkflowFile(dir, name)));
  return checkFiles(dir, files, options);
}

/** The check of workflows already read; `dir` is where reusable workflows they call are looked for. */
export async function checkFiles(dir: string, files: readonly WorkflowFile[], options: CheckOptions = {}): Promise<FolderReport> {
  const facts = options.facts ?? (await loadWorkspaceFacts());
  const repository = 'repository' in options ? options.repository : THIS_REPOSITORY;
  const owner = repository?.toLowerCase() === THIS_REPOSITORY.toLowerCase() ? 'orchestrator' : 'component';
  const findings: Finding[] = [];
  const reported = options.only ? files.filter((wf) => options.only!.includes(wf.name)) : files;
  // Rules read the YAML tree; a file that is not even YAML has nothing for them to read.
  const workflows = files.filter((wf) => wf.doc.errors.length === 0);
  for (const wf of reported) {
    findings.push(...(await parserFindings(dir, wf, repository)));
    if (wf.doc.errors.length === 0) findings.push(...ruleFindings(wf, { facts, workflows, owner }));
  }
  const malformed = reported.flatMap((wf) =>
    wf.doc.errors.slice(0, 1).map((e) => {
      const { line, column } = wf.positionAt(e.code === 'MISSING_CHAR' ? openingQuote(wf.source, e.pos[0]) : e.pos[0]);
      return { file: wf.name, line, column, message: e.message.split('\n')[0]! };
    }),
  );
  const names = new Set(reported.map((wf) => wf.name));
  // A callee's own errors come back again from each file that calls it.
  const unique = new Map(findings.filter((f) => names.has(f.file) || !options.only).map((f) => [`${f.file}\0${f.line}\0${f.column}\0${f.rule}\0${f.message}`, f]));
  return { files: [...names], findings: [...unique.values()].sort(byPosition), malformed };
}

/**
 * An unclosed quote is noticed where the file ends; the line to fix is the one that opens it: the
 * last quote before that which starts a value (after `: `, `- `, `[` or `,`).
 */
function openingQuote(source: string, noticedAt: number): number {
  let found = noticedAt;
  for (const m of source.slice(0, noticedAt).matchAll(/(?:[:\-]\s+|[[,]\s*)(["'])/g)) found = m.index + m[0].length - 1;
  return found;
}

export function formatFindings(findings: Finding[]): string {
  return formatText(findings);
}
