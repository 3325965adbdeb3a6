import type { DevelopSet } from '@bllvm/crates';
import type { ReleaseNotesCrate, ReleasePlan } from '@bllvm/release';

/**
 * The crate versions the notes name: the crates this release packaged (what the publish step
 * uploads), else, for a nightly, the develop set `version --develop` planned; none otherwise. Pure.
 */
export function notesCrates(plan: Pick<ReleasePlan, 'kind' | 'components'>, develop: DevelopSet | undefined): ReleaseNotesCrate[] | undefined {
  const packaged = plan.components.flatMap((c) => (c.crate ? [{ component: c.name, crate: c.crate.record.crate, version: c.crate.record.version }] : []));
  if (packaged.length) return packaged;
  if (plan.kind !== 'nightly' || !develop) return undefined;
  const shipped = new Set(plan.components.map((c) => c.name));
  const planned = develop.crates.filter((c) => shipped.has(c.component));
  return planned.length ? planned : undefined;
}
