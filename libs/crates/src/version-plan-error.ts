import { OrchestratorError } from '@bllvm/manifest';

/** A version plan that cannot be made from what the workspace, the repositories or the registry say: exit 1, the message alone. */
export class VersionPlanError extends OrchestratorError {
  override name = 'VersionPlanError';
}
