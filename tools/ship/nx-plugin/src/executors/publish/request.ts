import { join } from 'node:path';
import { requireTag } from '@bllvm/release';
import { DIST_DIR } from '@bllvm/manifest';
import { SLOWEST_UPLOAD_BYTES_PER_SECOND } from '@bllvm/github';
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
  /** When the publish started (ms since the epoch): its deadline counts from here. */
  startedAt: number;
  /** The configured deadline (the option, else BLLVM_PUBLISH_DEADLINE_MINUTES); undefined: the default (publishDeadline). */
  deadlineMinutes?: number;
  /** Only send the deploy signal for the published release. */
  deployOnly: boolean;
  /** The deployment's configuration: the GitHub API, tokens and keys, and the switches' defaults. */
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
  const minutes = options.deadlineMinutes ?? io.config.publish.deadlineMinutes;
  if (minutes !== undefined && !(typeof minutes === 'number' && minutes > 0 && Number.isFinite(minutes))) throw new Error(`deadlineMinutes must be a positive number of minutes, got ${minutes}`);
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
    startedAt: io.now ?? Date.now(),
    ...(minutes !== undefined ? { deadlineMinutes: minutes } : {}),
    deployOnly: options.deployOnly === true,
    config: io.config,
    outDir: join(io.workspaceRoot, DIST_DIR, 'release', io.tag),
    log: io.log,
  };
}

/** The publish's deadline when none is configured, before the allowance for the staged bytes. */
export const DEFAULT_DEADLINE_MINUTES = 5;

/**
 * When the whole publish must stop: no GitHub request starts, and none runs on, after it. The
 * configured minutes from the start, exactly; unset, DEFAULT_DEADLINE_MINUTES for the conversation
 * with GitHub plus the time the staged files take to upload at the slowest rate a request's own
 * time limit allows, so a large release on a slow link is not cut off where each upload would
 * have been let finish. Pure.
 */
export function publishDeadline(req: Pick<PublishRequest, 'startedAt' | 'deadlineMinutes'>, stagedBytes: number): Date {
  if (req.deadlineMinutes !== undefined) return new Date(req.startedAt + req.deadlineMinutes * 60_000);
  return new Date(req.startedAt + DEFAULT_DEADLINE_MINUTES * 60_000 + Math.ceil((stagedBytes / SLOWEST_UPLOAD_BYTES_PER_SECOND) * 1000));
}
