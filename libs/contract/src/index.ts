/**
 * @bllvm/contract — what the CLI and the Nx executors agree on: the deployment's configuration,
 * read from the environment once per process; the options the CLI gives the release targets; and
 * the record each executor leaves of its task.
 */
export * from './config';
export * from './release-options';
export * from './task-record';
export * from './nx-env';
