import type { ParseArgsConfig } from 'node:util';
import { OrchestratorError } from '@bllvm/manifest';
import type { OrchestratorConfig } from '@bllvm/contract';

/** A wrong invocation: exit code 2 and the command's usage. */
export class UsageError extends OrchestratorError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, { exitCode: 2 });
  }
}

/** A failure the user caused or must act on: exit code 1, the message only (no stack trace). */
export class CommandError extends OrchestratorError {
  override name = 'CommandError';
}

export interface CommandContext {
  workspaceRoot: string;
  out: (line: string) => void;
  err: (line: string) => void;
  /** The environment the CLI runs in; Nx and its tasks inherit it. */
  env: NodeJS.ProcessEnv;
  /** The configuration read from `env` once, when the command starts. */
  config: OrchestratorConfig;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Moves pins, builds or publishes: runs holding the checkout's run lock, one such run at a time. */
  exclusive?: boolean;
  /** Returns the exit code (0 ok, 1 failure). */
  run(args: { values: Record<string, unknown>; positionals: string[] }, ctx: CommandContext): Promise<number>;
}
