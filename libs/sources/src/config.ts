import { join } from 'node:path';

/**
 * Where sources come from and where they go. Only this differs between the sandbox and production.
 * Read from the environment with the rest of the configuration (@bllvm/contract's readConfig).
 */
export interface SourcesConfig {
  /** Prefix of repository URLs: https://github.com/ in production, file:///…/ for the sandbox. Ends with '/'. */
  gitBaseUrl: string;
  /** Orchestrator scratch space: mirrors, checkouts, cargo target directories, locks. */
  workDir: string;
  /**
   * The sparse index of the registry that replaces crates.io for registry dependencies (a mirror,
   * or the local one of the tests and the demo), `sparse+https://…/`; unset: crates.io itself.
   */
  cargoRegistry?: string;
  /**
   * The folder under workDir the checkouts are in (default `sources`). Tasks that check out other
   * commits than the pins (the develop set's release commits) use their own, so a build of the pins
   * running beside them never finds a checkout moved under it.
   */
  checkouts?: string;
}

export function repositoryUrl(cfg: SourcesConfig, repository: string): string {
  return `${cfg.gitBaseUrl}${repository}.git`;
}

export const paths = {
  mirror: (cfg: SourcesConfig, repository: string) => join(cfg.workDir, 'mirrors', `${repository}.git`),
  sourcesDir: (cfg: SourcesConfig) => join(cfg.workDir, cfg.checkouts ?? 'sources'),
  /** A checkout is named after its repository (not the component), so manifests' `../<repo>` paths resolve. */
  checkout: (cfg: SourcesConfig, folder: string) => join(cfg.workDir, cfg.checkouts ?? 'sources', folder),
  targetDir: (cfg: SourcesConfig, component: string, purpose: string) => join(cfg.workDir, 'target', component, purpose),
  lock: (cfg: SourcesConfig, name: string) => join(cfg.workDir, 'locks', name),
};
