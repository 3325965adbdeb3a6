/** A git problem in this repository the operator must act on: printed as a message, not a stack. */
export class OrchestratorError extends Error {
  override name = 'OrchestratorError';
}
