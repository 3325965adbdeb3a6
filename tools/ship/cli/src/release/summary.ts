import type { TaskOutcome } from '../run-targets';
import { RELEASE_SET } from './selection';

/** The last line a release run prints, and whether the release is public after it. */
export interface ReleaseSummary {
  line: string;
  published: boolean;
}

/**
 * What a release run ends with. The publish task's record says whether the release went public,
 * and that, not the task's status, decides between "published" and "nothing published": a
 * release is public even when a step after it (the deploy signal, moving last-release) failed,
 * and saying otherwise sends an operator to publish again instead of finishing what is left. Pure.
 */
export function releaseSummaryLine(tag: string, tasks: readonly TaskOutcome[]): ReleaseSummary {
  const publish = tasks.find((t) => t.task === `${RELEASE_SET}:release`);
  const published = publish?.publish?.published === true;
  if (publish?.status === 'built') return { line: publish.message ?? `published ${tag}`, published };
  if (publish && published) {
    const said = firstLine(publish.message);
    // The executor's message after publishing starts with "published <tag>"; anything else is framed so.
    if (said?.startsWith(`published ${tag}`)) return { line: said, published };
    const url = publish.publish?.url ? `: ${publish.publish.url}` : '';
    return { line: `published ${tag}${url}; then failed: ${said ?? 'see the publish task\'s output above'}`, published };
  }
  return { line: `nothing published: ${whyNot(tasks)}`, published: false };
}

function whyNot(tasks: readonly TaskOutcome[]): string {
  const failed = tasks.filter((t) => t.status === 'failed');
  if (failed.length) return `failed: ${failed.map((t) => `${t.task}${t.message ? ` (${firstLine(t.message)})` : ''}`).join('; ')}`;
  return 'the publish step did not run';
}

const firstLine = (text: string | undefined) => text?.split('\n')[0];
