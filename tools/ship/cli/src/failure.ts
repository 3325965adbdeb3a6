import { OrchestratorError, redactCredentials } from '@bllvm/manifest';

/** How a command that threw ends: its exit code, what to print, and whether the usage follows. */
export interface Failure {
  exitCode: number;
  text: string;
  showUsage: boolean;
}

/**
 * Every error meant for a person extends OrchestratorError and carries its exit code, so this needs
 * no list of error classes. Anything else is a bug: exit 1 with the stack, so it can be found.
 */
export function describeFailure(e: unknown): Failure {
  if (e instanceof OrchestratorError) return { exitCode: e.exitCode, text: e.message, showUsage: e.exitCode === 2 };
  // node:util parseArgs rejects unknown or malformed options with plain TypeErrors carrying these codes.
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return { exitCode: 2, text: (e as Error).message, showUsage: true };
  // A bug's stack may quote a URL from the configuration (an execa error repeats the command line).
  return { exitCode: 1, text: redactCredentials(e instanceof Error ? (e.stack ?? e.message) : String(e)), showUsage: false };
}
