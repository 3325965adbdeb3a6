import { join, resolve } from 'node:path';

/** Where sources come from and where they go. Only this differs between the sandbox and production. */
export interface SourcesConfig {
  /** Prefix of repository URLs: https://github.com/ in production, file:///…/ for the sandbox. Ends with '/'. */
  gitBaseUrl: string;
  /** Orchestrator scratch space: mirrors, checkouts, cargo target directories, locks. */
  workDir: string;
}

export const DEFAULT_GIT_BASE_URL = 'https://github.com/';

export function sourcesConfig(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): SourcesConfig {
  let gitBaseUrl = env.BLLVM_GIT_BASE_URL || DEFAULT_GIT_BASE_URL;
  if (!/^(https:\/\/|file:\/\/\/|ssh:\/\/|http:\/\/127\.0\.0\.1[:/])/.test(gitBaseUrl))
    throw new Error(`BLLVM_GIT_BASE_URL "${gitBaseUrl}" must start with https://, file:///, ssh:// or http://127.0.0.1`);
  if (!gitBaseUrl.endsWith('/')) gitBaseUrl += '/';
  return { gitBaseUrl, workDir: resolve(workspaceRoot, env.BLLVM_WORK_DIR || '.bllvm') };
}

export function repositoryUrl(cfg: SourcesConfig, repository: string): string {
  return `${cfg.gitBaseUrl}${repository}.git`;
}

export const paths = {
  mirror: (cfg: SourcesConfig, repository: string) => join(cfg.workDir, 'mirrors', `${repository}.git`),
  sourcesDir: (cfg: SourcesConfig) => join(cfg.workDir, 'sources'),
  checkout: (cfg: SourcesConfig, component: string) => join(cfg.workDir, 'sources', component),
  targetDir: (cfg: SourcesConfig, component: string, purpose: string) => join(cfg.workDir, 'target', component, purpose),
  lock: (cfg: SourcesConfig, name: string) => join(cfg.workDir, 'locks', name),
};
