import { isCommitSha, repositoryProblem } from '@bllvm/manifest';
import type { ComponentChangelog } from './changelog';
import type { ReleaseManifest } from './manifest';
import { commitLink, compareUrl, escapeMarkdownText } from './markdown';
import { SHA256SUMS } from './names';

export interface ReleaseNotesInput {
  manifest: ReleaseManifest;
  /** From collectChangelog. Absent: the notes say no changelog was collected rather than imply "no changes". */
  changelog?: readonly ComponentChangelog[];
  /** The release compared against, for the heading line. */
  previousTag?: string;
  /** owner/name of the orchestrator, to link its commit. */
  orchestratorRepository?: string;
  /** Commits listed per component before the rest is left to the compare link. */
  maxCommitsPerComponent?: number;
  /** The crate version of each component the release publishes (official or develop), in graph order. */
  crates?: readonly ReleaseNotesCrate[];
}

export interface ReleaseNotesCrate {
  component: string;
  crate: string;
  version: string;
}

const SHORT = 7;

/** RELEASE_NOTES.md: a summary table, a cross-repository changelog, the assets. Pure. */
export function renderReleaseNotes(input: ReleaseNotesInput): string {
  const { manifest } = input;
  const max = input.maxCommitsPerComponent ?? 100;
  const byComponent = indexChangelog(manifest, input.changelog);
  const lines: string[] = [];

  lines.push(`# bllvm ${manifest.tag}`, '');
  lines.push(
    manifest.kind === 'nightly'
      ? 'Nightly prerelease of the bllvm stack: every component at its branch head. Not for production use.'
      : `Release ${manifest.tag} of the bllvm stack.`,
    '',
  );
  const orchestrator = orchestratorRef(manifest.orchestratorCommit, input.orchestratorRepository);
  lines.push(`Built by the release orchestrator at ${orchestrator} on ${manifest.createdAt.slice(0, 10)}.`, '');
  if (input.changelog) {
    lines.push(
      input.previousTag ? `Changes since ${escapeMarkdownText(input.previousTag)}.` : 'No previous release: every component is new.',
      '',
    );
  }

  lines.push('| Component | Version | Commit | Changes |', '| --- | --- | --- | --- |');
  for (const c of manifest.components) {
    const cells = [
      escapeMarkdownText(c.component),
      escapeMarkdownText(c.version),
      commitLink(c.repository, c.commit),
      summary(byComponent.get(c.component)),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push('');
  if (input.crates?.length) lines.push(...crateLines(input.crates), '');

  lines.push('## Changes', '');
  for (const c of manifest.components) {
    lines.push(`### ${escapeMarkdownText(c.component)}`, '');
    lines.push(...details(byComponent.get(c.component), max), '');
  }

  lines.push('## Assets', '');
  lines.push('| File | SHA-256 |', '| --- | --- |');
  for (const c of manifest.components) {
    lines.push(`| ${code(c.archive.name)} | ${code(c.archive.sha256)} |`);
    if (c.image) lines.push(`| ${code(c.image.archive.name)} | ${code(c.image.archive.sha256)} |`);
  }
  lines.push('', `Check downloads with \`sha256sum -c ${SHA256SUMS}\` in the download folder.`);
  for (const c of manifest.components) {
    if (c.image) lines.push('', `Container image: ${code(c.image.image)} (image ID ${code(c.image.imageId)}).`);
  }
  return `${lines.join('\n')}\n`;
}

function crateLines(crates: readonly ReleaseNotesCrate[]): string[] {
  const lines = ['## Crates', '', '| Component | Crate | Version |', '| --- | --- | --- |'];
  for (const c of crates) lines.push(`| ${escapeMarkdownText(c.component)} | ${code(c.crate)} | ${code(c.version)} |`);
  // Cargo matches a pre-release only through a requirement naming one of the same X.Y.Z.
  if (crates.some((c) => c.version.includes('-'))) lines.push('', 'Pre-release versions: depend on one with a requirement that names it, e.g. `= "<version>"`.');
  return lines;
}

function indexChangelog(manifest: ReleaseManifest, changelog: readonly ComponentChangelog[] | undefined) {
  const map = new Map<string, ComponentChangelog>();
  const shipped = new Map(manifest.components.map((c) => [c.component, c]));
  for (const entry of changelog ?? []) {
    const c = shipped.get(entry.component);
    // Notes about a commit other than the one shipped would describe a different release.
    if (!c) throw new Error(`changelog has ${entry.component}, which this release does not ship`);
    if (entry.current !== c.commit) {
      throw new Error(`changelog for ${entry.component} ends at ${entry.current.slice(0, SHORT)}, but the release ships ${c.commit.slice(0, SHORT)}`);
    }
    // These strings become URLs; the types alone do not guarantee their shape.
    const problem = repositoryProblem(entry.repository);
    if (problem) throw new Error(`changelog for ${entry.component}: repository ${problem}`);
    if (entry.status !== 'new' && !isCommitSha(entry.previous)) throw new Error(`changelog for ${entry.component}: bad previous commit`);
    map.set(entry.component, entry);
  }
  return map;
}

function summary(entry: ComponentChangelog | undefined): string {
  if (!entry) return 'changelog not collected';
  switch (entry.status) {
    case 'new':
      return 'new';
    case 'unchanged':
      return 'unchanged';
    case 'changed':
      return entry.commits.length === 1 ? '1 commit' : `${entry.commits.length} commits`;
    case 'diverged':
      return 'history rewritten';
    case 'previous-missing':
      return 'previous commit missing';
  }
}

function details(entry: ComponentChangelog | undefined, max: number): string[] {
  if (!entry) return ['Changelog not collected for this component.'];
  const current = commitLink(entry.repository, entry.current);
  switch (entry.status) {
    case 'new':
      return [`new: first release at ${current}.`];
    case 'unchanged':
      return [`unchanged at ${current}.`];
    case 'diverged':
      return [
        `History rewritten: the previous release's commit \`${entry.previous.slice(0, SHORT)}\` is not an ancestor of ${current}, ` +
          'so no commit list can be given.',
        '',
        compareLine(entry.repository, entry.previous, entry.current),
      ];
    case 'previous-missing':
      return [
        `The previous release's commit \`${entry.previous.slice(0, SHORT)}\` is no longer in the repository ` +
          `(history rewritten?); now at ${current}. No commit list can be given.`,
      ];
    case 'changed': {
      const out = [compareLine(entry.repository, entry.previous, entry.current), ''];
      if (entry.commits.length === 0) out.push(`Only merge commits since \`${entry.previous.slice(0, SHORT)}\`; now at ${current}.`);
      for (const commit of entry.commits.slice(0, max)) {
        const subject = escapeMarkdownText(commit.subject, { repository: entry.repository }) || '(no subject)';
        const author = escapeMarkdownText(commit.author, { maxLength: 80 });
        out.push(`- ${subject} (${commitLink(entry.repository, commit.sha)})${author ? ` by ${author}` : ''}`);
      }
      if (entry.commits.length > max) out.push(`- … and ${entry.commits.length - max} more: see the comparison.`);
      return out;
    }
  }
}

function compareLine(repository: string, from: string, to: string): string {
  return `[Compare \`${from.slice(0, SHORT)}...${to.slice(0, SHORT)}\`](${compareUrl(repository, from, to)})`;
}

/**
 * A code span when the text cannot break out of one (no backtick, no pipe for tables, printable
 * ASCII), otherwise escaped text: backslash escapes would show literally inside a code span.
 */
function code(text: string): string {
  return /^[\x21-\x7e]+$/.test(text) && !/[`|]/.test(text) ? `\`${text}\`` : escapeMarkdownText(text);
}

function orchestratorRef(commit: string, repository: string | undefined): string {
  if (repository && !repositoryProblem(repository)) return commitLink(repository, commit);
  return `\`${commit.slice(0, SHORT)}\``;
}
