import { join } from 'node:path';
import { byPosition, type Finding } from './finding';
import { parserFindings } from './parse';
import { ruleFindings } from './rules';
import { listWorkflowFiles, loadWorkflowFile } from './workflow-file';
import { loadWorkspaceFacts, WORKSPACE_ROOT, type WorkspaceFacts } from './workspace-facts';

export interface CheckOptions {
  /** What targets and CLI commands exist; default: read from this workspace. */
  facts?: WorkspaceFacts;
  /** owner/name of the repository the workflows belong to, so `<it>/.github/workflows/x.yml@ref` resolves locally. */
  repository?: string;
}

export const DEFAULT_WORKFLOW_DIR = join(WORKSPACE_ROOT, '.github', 'workflows');
export const THIS_REPOSITORY = 'BTCDecoded/bllvm';

/** Every finding for every workflow in `dir`: GitHub's parser first, then our rules. */
export async function checkWorkflows(dir = DEFAULT_WORKFLOW_DIR, options: CheckOptions = {}): Promise<Finding[]> {
  const facts = options.facts ?? (await loadWorkspaceFacts());
  const repository = options.repository ?? THIS_REPOSITORY;
  const findings: Finding[] = [];
  const files = await Promise.all((await listWorkflowFiles(dir)).map((name) => loadWorkflowFile(dir, name)));
  // Rules read the YAML tree; a file that is not even YAML has nothing for them to read.
  const workflows = files.filter((wf) => wf.doc.errors.length === 0);
  for (const wf of files) {
    findings.push(...(await parserFindings(dir, wf, repository)));
    if (wf.doc.errors.length === 0) findings.push(...ruleFindings(wf, { facts, workflows }));
  }
  // A callee's own errors come back again from each file that calls it.
  const unique = new Map(findings.map((f) => [`${f.file}\0${f.line}\0${f.rule}\0${f.message}`, f]));
  return [...unique.values()].sort(byPosition);
}

export function formatFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.file}:${f.line} [${f.rule}] ${f.message}`).join('\n');
}
