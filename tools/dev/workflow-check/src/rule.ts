import type { Finding } from './finding';
import type { WorkflowFile } from './workflow-file';
import type { WorkspaceFacts } from './workspace-facts';

export interface RuleContext {
  facts: WorkspaceFacts;
  /**
   * Every workflow of the folder being checked, this one included: the repository's self-hosted
   * runners take jobs of all of them, so what may share a runner is decided across files.
   */
  workflows: readonly WorkflowFile[];
}

/** A check GitHub's parser does not make. Findings carry the rule's id. */
export interface Rule {
  id: string;
  /** One line: what the rule protects against. */
  why: string;
  check(wf: WorkflowFile, ctx: RuleContext): Finding[];
}

export function finding(wf: WorkflowFile, rule: string, line: number, message: string): Finding {
  return { file: wf.name, line, rule, message };
}
