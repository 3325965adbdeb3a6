import type { PublishOutcome } from '@bllvm/contract';
import { GitHubApiError } from '@bllvm/github';

/**
 * How far a publish got, so that when it stops (its deadline, GitHub gone silent, any failure)
 * the message says what is done, what is not, and what the rerun will do; and so the summary
 * says "published" when the release is public even though a later step failed.
 */

/** The steps of a publish, in the order run-publish takes them. */
export type PublishStep = 'stage' | 'crates' | 'draft' | 'upload' | 'verify' | 'public' | 'prune' | 'deploy' | 'last-release';

const WHAT: Record<PublishStep, string> = {
  stage: 'stage and attest the release set',
  crates: 'publish the crates to the cargo registry',
  draft: 'create (or find) the draft release',
  upload: 'upload the assets',
  verify: 'verify the uploaded assets',
  public: 'make the release public',
  prune: 'prune old nightlies',
  deploy: 'send the deploy signal',
  'last-release': 'move last-release',
};

export interface PublishProgress {
  tag: string;
  /** The steps this publish runs (publishSteps). */
  steps: PublishStep[];
  /** The step under way; undefined before the first. */
  step?: PublishStep;
  /** The release is public: made so by this run, or found so. */
  published: boolean;
  url?: string;
  deploy: PublishOutcome['deploy'];
}

/**
 * The steps a request runs: the crates only when the release has some (unknown until the plan is
 * read: assumed), pruning only for a nightly, the signal only when configured, only it with
 * deployOnly. The crates go out before anything reaches GitHub: a registry keeps what it is given,
 * so the release is drafted only once every crate is out, and a failed upload leaves nothing else
 * published. Pure.
 */
export function publishSteps(o: { nightly: boolean; deployComponent?: string; deployOnly: boolean; crates?: boolean }): PublishStep[] {
  if (o.deployOnly) return ['deploy'];
  const all: PublishStep[] = ['stage', 'crates', 'draft', 'upload', 'verify', 'public', 'prune', 'deploy', 'last-release'];
  return all.filter((s) => (s !== 'crates' || o.crates !== false) && (s !== 'prune' || o.nightly) && (s !== 'deploy' || o.deployComponent !== undefined));
}

export function startProgress(tag: string, steps: PublishStep[]): PublishProgress {
  return { tag, steps, published: false, deploy: 'none' };
}

/** What the task records of its release (PublishOutcome). Pure. */
export function publishOutcome(p: PublishProgress): PublishOutcome {
  return { tag: p.tag, published: p.published, ...(p.url ? { url: p.url } : {}), deploy: p.deploy };
}

/** GitHub did not answer: the publish deadline passed, or a request went unanswered through its retries. */
export function isUnanswered(e: unknown): e is GitHubApiError {
  return e instanceof GitHubApiError && (e.code === 'deadline' || e.code === 'timeout');
}

/** The steps not done: the one under way and those after it. Pure. */
function notDone(p: PublishProgress): string {
  const from = p.step ? p.steps.indexOf(p.step) : 0;
  return p.steps.slice(Math.max(from, 0)).map((s) => WHAT[s]).join(', ');
}

/** What the rerun of the same command does from here. Pure. */
function resume(p: PublishProgress): string {
  return p.published ? `it finds ${p.tag} complete and does only what is left` : 'it finds the draft (if one was made) and completes it';
}

const published = (p: PublishProgress) => `published ${p.tag}${p.url ? ` (${p.url})` : ''}`;

/**
 * GitHub stopped answering: the first line says where the publish stopped, every step not done,
 * what is public and how to resume; the next ones carry GitHub's side and where the deadline is
 * set. Pure.
 */
export function stoppedMessage(p: PublishProgress, cause: GitHubApiError): string {
  const why = cause.code === 'deadline' ? 'at its deadline' : 'because GitHub stopped answering';
  const where = `the publish stopped ${why} while it was to ${WHAT[p.step ?? p.steps[0]!]}`;
  const draftMade = p.steps.includes('draft') && p.step !== undefined && p.steps.indexOf(p.step) > p.steps.indexOf('draft');
  let first: string;
  if (p.published) first = `${published(p)}, but ${where}; not done: ${notDone(p)}; rerun the same command to resume: ${resume(p)}`;
  // Only the deploy signal was asked for (deployOnly): the release is as the publish left it.
  else if (!p.steps.includes('draft')) first = `${p.tag}: ${where}; not done: ${notDone(p)}; rerun the same command to resume`;
  else if (draftMade) first = `${p.tag} not published: ${where}; not done: ${notDone(p)}; the release is a draft (nothing public, no tag); rerun the same command to resume: it finds the draft and completes it`;
  else first = `${p.tag} not published: ${where}; not done: ${notDone(p)}; nothing is public; rerun the same command to resume: ${resume(p)}`;
  return [
    first,
    `  ${cause.message}`,
    '  (the deadline: the publish target\'s deadlineMinutes option or BLLVM_PUBLISH_DEADLINE_MINUTES; default 5 minutes plus the staged files\' upload time)',
  ].join('\n');
}

/** A failure after the release went public: it is said first, then what failed and what is left. Pure. */
export function afterPublishedMessage(p: PublishProgress, message: string): string {
  return `${published(p)}; then ${WHAT[p.step ?? 'last-release']} failed: ${message.trimEnd()}; not done: ${notDone(p)}; rerun the same command: ${resume(p)}`;
}
