import type { ExpectedAsset, Release } from '@bllvm/github';

/** The fields of a release-manifest.json that identify a release set. */
export interface ManifestPins {
  orchestratorCommit?: string;
  components?: { component: string; commit: string }[];
}

/**
 * Every named asset as the release holds it, when each is fully uploaded with a known sha256;
 * otherwise undefined (a release a dry run only planned holds nothing). Pure.
 */
export function heldAssets(release: Release, names: readonly string[]): ExpectedAsset[] | undefined {
  if (release.planned) return undefined;
  const byName = new Map(release.assets.map((a) => [a.name, a]));
  if (!names.every((n) => byName.get(n)?.state === 'uploaded' && byName.get(n)?.sha256)) return undefined;
  return names.map((n) => ({ name: n, size: byName.get(n)!.size, sha256: byName.get(n)!.sha256! }));
}

/** Whether two manifests record the same orchestrator commit and the same component commits, in order. Pure. */
export function samePins(a: ManifestPins, b: ManifestPins): boolean {
  const key = (m: ManifestPins) => JSON.stringify([m.orchestratorCommit, (m.components ?? []).map((c) => [c.component, c.commit])]);
  return key(a) === key(b);
}
