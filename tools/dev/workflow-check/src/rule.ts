import type { Finding, Position } from './finding';
import type { WorkflowFile } from './workflow-file';
import type { WorkspaceFacts } from './workspace-facts';

export interface RuleContext {
  facts: WorkspaceFacts;
  /**
   * Every workflow of the folder being checked, this one included: the repository's self-hosted
   * runners take jobs of all of them, so what may share a runner is decided across files.
   */
  workflows: readonly WorkflowFile[];
  /**
   * Whose workflows these are. In the orchestrator's own, its checkout is its reviewed code and
   * component code is what its CLI builds; in a component repository the checkout is the
   * component, so its scripts, Makefile and npm packages run component code too.
   */
  owner: 'orchestrator' | 'component';
}

/** A check GitHub's parser does not make. Findings carry the rule's id. */
export interface Rule {
  id: string;
  /** One line: what the rule protects against. */
  why: string;
  check(wf: WorkflowFile, ctx: RuleContext): Finding[];
}

export function finding(wf: WorkflowFile, rule: string, at: Position, message: string, fix: string): Finding {
  return { file: wf.name, line: at.line, column: at.column, rule, message, fix };
}
