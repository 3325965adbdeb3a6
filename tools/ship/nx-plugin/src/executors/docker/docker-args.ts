import type { BuildRecord } from '@bllvm/manifest';
import type { DockerExecutorOptions } from './schema';

/** OCI labels that tie the image to the exact source it was built from. */
export function ociLabels(record: BuildRecord): Record<string, string> {
  return {
    'org.opencontainers.image.source': `https://github.com/${record.repository}`,
    'org.opencontainers.image.revision': record.commit,
    'org.opencontainers.image.version': record.version,
    'org.opencontainers.image.title': record.component,
  };
}

export function imageTags(options: DockerExecutorOptions, record: BuildRecord): string[] {
  const tags = [record.commit, ...(options.tags ?? [])];
  return [...new Set(tags)].map((t) => `${options.image}:${t}`);
}

/** `docker build` arguments; pure so the network mode and labels are unit-tested. */
export function dockerBuildArgs(options: DockerExecutorOptions, record: BuildRecord, contextDir: string, dockerfile: string, iidFile?: string): string[] {
  // --no-cache: the engine's build cache may answer a step with an image loaded by an earlier run
  // (the canonical one, canonical-image.ts), whose history differs from a fresh build's. Nx's cache
  // is the reuse here: an image task that runs builds its image from its context, nothing else.
  const args = ['build', '--no-cache', `--network=${options.network ?? 'none'}`, '--file', dockerfile];
  // The id of the image this build made: other jobs on the same engine may retag the same name meanwhile.
  if (iidFile) args.push('--iidfile', iidFile);
  for (const t of imageTags(options, record)) args.push('--tag', t);
  for (const [k, v] of Object.entries(ociLabels(record))) args.push('--label', `${k}=${v}`);
  // The binaries' date (from the pins): BuildKit stamps the image config and layers with it
  // instead of the clock. The legacy builder and podman 4 ignore it (docs/architecture.md).
  if (record.settings) args.push('--build-arg', `SOURCE_DATE_EPOCH=${record.settings.sourceDateEpoch}`);
  for (const [k, v] of Object.entries(options.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  args.push(contextDir);
  return args;
}

/**
 * The docker CLI's whole environment: where the engine is and where the CLI is, nothing else. No
 * token, and a config folder of its own (the context's parent, empty of credentials), so no
 * registry login of the runner travels with the build to the engine. Pure.
 */
export function dockerEnv(host: NodeJS.ProcessEnv, contextDir: string): Record<string, string> {
  const env: Record<string, string> = { PATH: host.PATH ?? '/usr/local/bin:/usr/bin:/bin', DOCKER_CONFIG: `${contextDir}.docker-config`, HOME: `${contextDir}.home` };
  if (host.DOCKER_HOST) env.DOCKER_HOST = host.DOCKER_HOST;
  return env;
}
