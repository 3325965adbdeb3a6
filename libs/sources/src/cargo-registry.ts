import type { SourcesConfig } from './config';

/** The name our cargo `--config` gives the registry that stands in for crates.io. */
export const REGISTRY_SOURCE = 'bllvm-registry';

/** What a build says when it names the registry: crates.io unless the configuration names another. */
export function registryLabel(cfg: Pick<SourcesConfig, 'cargoRegistry'>): string {
  return cfg.cargoRegistry ? `the cargo registry ${cfg.cargoRegistry}` : 'crates.io';
}

/**
 * cargo `--config` flags that make the configured registry (a mirror of crates.io, or the local one
 * of the tests and the demo) replace crates.io: cargo's own source replacement, so manifests and
 * locks keep naming crates.io and a lock made against one resolves against the other. Every cargo
 * step of a task gets the same flags: the download step fills the cache under the replacement's
 * name, and the offline steps find it there. None for crates.io itself. Pure.
 */
export function registryConfigArgs(cfg: Pick<SourcesConfig, 'cargoRegistry'>): string[] {
  if (!cfg.cargoRegistry) return [];
  return ['--config', `source.crates-io.replace-with=${JSON.stringify(REGISTRY_SOURCE)}`, '--config', `source.${REGISTRY_SOURCE}.registry=${JSON.stringify(cfg.cargoRegistry)}`];
}

/**
 * Does cargo's error say it could not reach the registry (rather than that the manifests ask for
 * something the registry does not have)? Then the message names the registry in one line. Pure.
 */
export function unreachableRegistry(stderr: string): string | undefined {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /(couldn't|could not|failed to) connect|connection refused|could not resolve host|failed to resolve address|timed out|network unreachable|failed to get successful http response|ssl connect error/i.test(l));
  return line?.replace(/^(error|caused by|warning):\s*/i, '').slice(0, 240);
}
