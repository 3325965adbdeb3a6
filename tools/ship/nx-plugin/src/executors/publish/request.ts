import { join } from 'node:path';
import { requireTag } from '@bllvm/release';
import { DIST_DIR } from '@bllvm/manifest';
import type { OrchestratorConfig } from '@bllvm/contract';
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
  /** The component whose image the deploy signal names (project configuration); undefined: no deploy signal. */
  deployComponent?: string;
  /** Replace an asset whose bytes differ instead of failing (option, default from the configuration). */
  replaceAssets: boolean;
  /** Push the deploy image to its registry rather than name its archive (option, default from the configuration). */
  pushImage: boolean;
  /** No GitHub request starts, and none runs on, after this moment. */
  deadline: Date;
  /** Only send the deploy signal for the published release. */
  deployOnly: boolean;
  /** The deployment's configuration: where the mirrors are (the changelog reads them), the GitHub API and tokens. */
  config: OrchestratorConfig;
  /** dist/release/<tag>: the staged release set. */
  outDir: string;
  log: (line: string) => void;
}

export interface PublishRequestInput {
  workspaceRoot: string;
  tag: string;
  dryRun: boolean;
  /** Push `last-release` to this remote after publishing. */
  pushRemote?: string;
  /** The deployment's configuration (sources, GitHub API and tokens, switch defaults). */
  config: OrchestratorConfig;
  log: (line: string) => void;
  /** When the run started (ms since the epoch; default now): the deadline counts from here. */
  now?: number;
}

/** Check and default the options before any step runs, so a bad option fails before anything is read or written. Pure. */
export function normalizePublishRequest(options: PublishExecutorOptions, io: PublishRequestInput): PublishRequest {
  const parsed = requireTag(io.tag);
  const keep = options.keepNightlies ?? 14;
  // Nx does not enforce every schema rule for every type; zero would delete the nightly just published.
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`keepNightlies must be a whole number of at least 1, got ${keep}`);
  const minutes = options.deadlineMinutes ?? 60;
  if (!(typeof minutes === 'number' && minutes > 0 && Number.isFinite(minutes))) throw new Error(`deadlineMinutes must be a positive number of minutes, got ${minutes}`);
  const repository = options.repository ?? io.config.github.repository;
  // Where releases go is configuration (the target's option, or GITHUB_REPOSITORY in Actions): never a guess.
  if (!repository) throw new Error('no repository to publish to: set the release target\'s "repository" option or GITHUB_REPOSITORY (owner/name)');
  const [owner, repo] = repository.split('/') as [string, string];
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
    deployComponent: options.deployComponent,
    replaceAssets: options.replaceAssets ?? io.config.publish.replaceAssets,
    pushImage: options.imagePush ?? io.config.publish.imagePush,
    deadline: new Date((io.now ?? Date.now()) + minutes * 60_000),
    deployOnly: options.deployOnly === true,
    config: io.config,
    outDir: join(io.workspaceRoot, DIST_DIR, 'release', io.tag),
    log: io.log,
  };
}
