import type { Finding } from './finding';
import type { Rule, RuleContext } from './rule';
import { validCron } from './rules/cron';
import { declaredInputs } from './rules/declared-inputs';
import { expressionInRun } from './rules/expression-in-run';
import { knownInvocations } from './rules/known-invocations';
import { needsDeclared } from './rules/needs-declared';
import { explicitPermissions } from './rules/permissions';
import { pinnedActions } from './rules/pinned-actions';
import { pipedFailure } from './rules/piped-failure';
import { publishAllowDirty } from './rules/publish-allow-dirty';
import { reusableWorkflowInStep } from './rules/reusable-workflow-in-step';
import { runnerClassLabels } from './rules/runner-class-labels';
import { secretBesideBuild } from './rules/secret-beside-build';
import { secretsOnPullRequestTarget } from './rules/secrets-on-pull-request-target';
import { selfHostedLabels } from './rules/self-hosted-labels';
import { selfHostedOnPullRequest } from './rules/self-hosted-on-pull-request';
import { swallowedFailure } from './rules/swallowed-failure';
import { tokenRunnerApart } from './rules/token-runner-apart';
import type { WorkflowFile } from './workflow-file';

/** Our own rules: what GitHub's parser accepts but the old pipeline got wrong or we forbid. */
export const rules: readonly Rule[] = [
  reusableWorkflowInStep,
  expressionInRun,
  explicitPermissions,
  validCron,
  knownInvocations,
  swallowedFailure,
  pipedFailure,
  selfHostedLabels,
  secretsOnPullRequestTarget,
  declaredInputs,
  pinnedActions,
  selfHostedOnPullRequest,
  needsDeclared,
  secretBesideBuild,
  runnerClassLabels,
  tokenRunnerApart,
  publishAllowDirty,
];

export function ruleFindings(wf: WorkflowFile, ctx: RuleContext): Finding[] {
  return rules.flatMap((rule) => rule.check(wf, ctx));
}
