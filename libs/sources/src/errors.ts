import { OrchestratorError } from '@bllvm/manifest';

/** A source problem, always naming what the operator needs to act on: component, commit and remote. */
export class SourcesError extends OrchestratorError {
  constructor(
    message: string,
    readonly details: { component?: string; commit?: string; remote?: string } = {},
  ) {
    super(message);
    this.name = 'SourcesError';
  }
}
