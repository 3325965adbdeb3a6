import { OrchestratorError } from '@bllvm/manifest';

/** Something about this repository (its git state, a pin commit, a push) stops a command. */
export class RepoError extends OrchestratorError {
  override name = 'RepoError';
}
