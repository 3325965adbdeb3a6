import { requireTag } from './tags';

// Asset names are what users download and what publishing compares against existing release
// assets, so they are derived here and nowhere else.

export const PLATFORM = 'linux-x86_64';
export const SHA256SUMS = 'SHA256SUMS';
export const RELEASE_MANIFEST = 'release-manifest.json';
export const RELEASE_NOTES = 'RELEASE_NOTES.md';
/** The record's own name inside each archive, next to the artifacts it describes. */
export const BUILD_RECORD_IN_ARCHIVE = 'build.json';

const COMPONENT = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function assertComponentName(component: unknown): asserts component is string {
  if (typeof component !== 'string' || !COMPONENT.test(component)) {
    throw new Error(`component name ${JSON.stringify(component)} must be lowercase [a-z0-9-]`);
  }
}

/** Also the top-level folder inside the archive, so extracting two components never mixes files. */
export function archiveStem(component: string, tag: string): string {
  assertComponentName(component);
  requireTag(tag);
  return `${component}-${tag}-${PLATFORM}`;
}

export function archiveName(component: string, tag: string): string {
  return `${archiveStem(component, tag)}.tar.gz`;
}

export function imageArchiveName(component: string, tag: string): string {
  assertComponentName(component);
  requireTag(tag);
  return `${component}-${tag}-image.oci.tar`;
}

/** Every asset a release with these components will have, for plans and for idempotent publishing. */
export function plannedAssetNames(tag: string, components: readonly { name: string; hasImage?: boolean }[]): string[] {
  const names: string[] = [];
  for (const c of components) {
    names.push(archiveName(c.name, tag));
    if (c.hasImage) names.push(imageArchiveName(c.name, tag));
  }
  names.push(RELEASE_MANIFEST, RELEASE_NOTES, SHA256SUMS);
  return names;
}
