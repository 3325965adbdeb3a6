import { posix } from 'node:path';
import type { MetadataPackage } from '@bllvm/manifest';

export interface DeclaredOutput {
  /** Path relative to the task's target dir. */
  path: string;
  name: string;
  kind: 'binary' | 'library';
}

/**
 * Where cargo leaves what a component ships, from the targets its pinned manifest declares (read
 * by cargo metadata before anything of the component ran), never from messages printed while it
 * ran: a build script can write onto cargo's stdout. Binaries when the crate has any (a binary
 * crate's internal library is not a deliverable), else its library's rlib. Pure.
 */
export function declaredOutputs(pkg: Pick<MetadataPackage, 'targets'>, build: { profile: 'release' | 'dev'; rustTarget?: string }): DeclaredOutput[] {
  const dir = posix.join(build.rustTarget ?? '.', build.profile === 'release' ? 'release' : 'debug');
  const bins = pkg.targets.filter((t) => t.kind.includes('bin'));
  if (bins.length) return bins.map((t) => ({ name: t.name, path: posix.join(dir, t.name), kind: 'binary' as const }));
  return pkg.targets
    .filter((t) => t.kind.some((k) => k === 'lib' || k === 'rlib'))
    .map((t) => {
      const name = `lib${t.name.replace(/-/g, '_')}.rlib`;
      return { name, path: posix.join(dir, name), kind: 'library' as const };
    });
}
