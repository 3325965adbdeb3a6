import { OrchestratorError, redactCredentials } from '@bllvm/manifest';

/** A source problem, always naming what the operator needs to act on: component, commit and remote. */
export class SourcesError extends OrchestratorError {
  constructor(
    message: string,
    public details: { component?: string; commit?: string; remote?: string } = {},
  ) {
    super(message);
    this.name = 'SourcesError';
    // The remote is kept for whoever reports the error: without the credentials a base URL may carry.
    if (details.remote !== undefined) this.details = { ...details, remote: redactCredentials(details.remote) };
  }
}
