import { join } from 'node:path';
import { requireTag } from '@bllvm/release';
import { DIST_DIR } from '@bllvm/manifest';
import { type SourcesConfig, sourcesConfig } from '@bllvm/sources';
import type { PublishExecutorOptions } from './schema';

/** What the publish steps are given: the executor's options and run settings, normalized once. */
export interface PublishRequest {
  root: string;
  tag: string;
  nightly: boolean;
  /** A nightly tag's orchestrator commit (7 hex); the gate checks HEAD against it. */
  tagSha?: string;
  dryRun: boolean;
  /** Push `last-release` to this remote after publishing. */
  pushRemote?: string;
  keepNightlies: number;
  owner: string;
  repo: string;
  deployComponent: string;
  /** BLLVM_REPLACE_ASSETS=1: replace an asset whose bytes differ instead of failing. */
  replaceAssets: boolean;
  /** BLLVM_IMAGE_PUSH=1: push the deploy image to its registry rather than name its archive. */
  pushImage: boolean;
  /** Where the mirrors are (the changelog reads them). */
  sources: SourcesConfig;
  /** dist/release/<tag>: the staged release set. */
  outDir: string;
  /** Passed on to child processes; the GitHub tokens are read from it only where a client is made. */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export interface PublishRequestInput {
  workspaceRoot: string;
  tag: string;
  dryRun: boolean;
  pushRemote?: string;
  env?: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

/** Check and default the options before any step runs, so a bad option fails before anything is read or written. Pure. */
export function normalizePublishRequest(options: PublishExecutorOptions, io: PublishRequestInput): PublishRequest {
  const env = io.env ?? process.env;
  const parsed = requireTag(io.tag);
  const keep = options.keepNightlies ?? 14;
  // Nx does not enforce every schema rule for every type; zero would delete the nightly just published.
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`keepNightlies must be a whole number of at least 1, got ${keep}`);
  const [owner, repo] = (options.repository ?? env.GITHUB_REPOSITORY ?? 'BTCDecoded/bllvm').split('/') as [string, string];
  return {
    root: io.workspaceRoot,
    tag: io.tag,
    nightly: parsed.kind === 'nightly',
    tagSha: parsed.kind === 'nightly' ? parsed.sha : undefined,
    dryRun: io.dryRun,
    pushRemote: io.pushRemote,
    keepNightlies: keep,
    owner,
    repo,
    deployComponent: options.deployComponent ?? 'governance-app',
    replaceAssets: env.BLLVM_REPLACE_ASSETS === '1',
    pushImage: env.BLLVM_IMAGE_PUSH === '1',
    sources: sourcesConfig(io.workspaceRoot, env),
    outDir: join(io.workspaceRoot, DIST_DIR, 'release', io.tag),
    env,
    log: io.log,
  };
}
