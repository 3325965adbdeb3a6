import { NX_LOCAL_ENV } from '@bllvm/contract';

/**
 * The environment of a command the bench runs in a workspace copy, as the copy's own nx()/cli()
 * set it (tools/doubles/demo workspace-copy.ts): a fixed git identity, Nx without cloud, daemon or
 * TUI, then the workspace's own variables (git base URL, DOCKER_HOST, shims on PATH).
 */
export function workspaceEnv(wsEnv: NodeJS.ProcessEnv, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: 'test',
    GIT_AUTHOR_EMAIL: 'test@localhost',
    GIT_COMMITTER_NAME: 'test',
    GIT_COMMITTER_EMAIL: 'test@localhost',
    ...NX_LOCAL_ENV,
    ...extra,
    ...wsEnv,
  };
}
