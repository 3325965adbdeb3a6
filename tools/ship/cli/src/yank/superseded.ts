/**
 * How a yanked release reads on GitHub: its name says superseded, its body starts with a note
 * naming the release to use instead, and it is a pre-release, so GitHub no longer shows it as the
 * latest. Pure and idempotent: a release already marked is left as it is.
 */

/** GitHub refuses a release body longer than this (characters). */
export const MAX_RELEASE_BODY = 125_000;

export const SUPERSEDED_NOTE = '> **Superseded.**';
const SUFFIX = ' (superseded)';

export interface ReleaseText {
  tag: string;
  name: string | null;
  body: string | null;
}

export interface SupersededRelease {
  name: string;
  body: string;
  prerelease: true;
}

export function supersededRelease(release: ReleaseText, instead: string | undefined): SupersededRelease {
  const name = release.name?.trim() ? release.name : release.tag;
  const body = release.body ?? '';
  if (body.startsWith(SUPERSEDED_NOTE)) return { name: name.endsWith(SUFFIX) ? name : `${name}${SUFFIX}`, body, prerelease: true };
  const use = instead ? `use ${instead} instead` : 'no earlier release to use instead';
  const note = `${SUPERSEDED_NOTE} The crates of ${release.tag} were yanked from the registry; ${use}.\n\n`;
  const room = MAX_RELEASE_BODY - note.length;
  const kept = body.length > room ? `${body.slice(0, room - 2)}\n…` : body;
  return { name: name.endsWith(SUFFIX) ? name : `${name}${SUFFIX}`, body: `${note}${kept}`, prerelease: true };
}
