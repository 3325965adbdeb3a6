import { readFile, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathDependencies } from '@bllvm/manifest';
import { SourcesError } from './errors';
import { git } from './git';

/**
 * A build is of the pinned commits and nothing else (invariant 3). Repository contents are
 * untrusted: a symlink or a `path =` dependency can point anywhere on the runner, and cargo would
 * compile (or read) it without complaint. These checks run on every checkout before any tool does.
 */
export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/** Refuse a checkout holding a tracked symlink whose target leaves it. */
export async function assertNoEscapingSymlinks(component: string, dir: string, commit: string): Promise<void> {
  const r = await git(['ls-files', '-s', '-z'], { cwd: dir });
  if (!r.ok) throw new SourcesError(`${component}: cannot list the files of ${dir}`, { component, commit });
  const root = await realpath(dir);
  for (const entry of r.stdout.split('\0')) {
    const m = /^120000 [0-9a-f]+ \d+\t(.+)$/.exec(entry);
    if (!m) continue;
    const path = m[1]!;
    const link = join(dir, path);
    const target = await readlink(link);
    const lexical = resolve(dirname(link), target);
    const real = await realpath(link).catch(() => undefined);
    if (!isInside(lexical, dir) || (real !== undefined && !isInside(real, root)))
      throw new SourcesError(
        `${component}@${commit.slice(0, 7)}: ${path} is a symlink to ${JSON.stringify(target).slice(0, 200)}, outside the checkout; refusing to build it`,
        { component, commit },
      );
  }
}

/**
 * Refuse a manifest whose `path =` dependencies resolve outside the checkouts of this run: its own
 * checkout (sub-crates) or a sibling component's checkout are the only places code may come from.
 */
export async function assertPathDependenciesInside(
  component: string,
  dir: string,
  commit: string,
  checkouts: readonly string[],
  sourcesDir: string,
): Promise<void> {
  const file = join(dir, 'Cargo.toml');
  let deps;
  try {
    deps = pathDependencies(await readFile(file, 'utf8'), file);
  } catch {
    return; // not a readable manifest: cargo and graph-check report that with the file's own error
  }
  for (const d of deps) {
    const abs = resolve(dir, d.path);
    if (!checkouts.some((c) => isInside(abs, c)))
      throw new SourcesError(
        `${component}@${commit.slice(0, 7)}: Cargo.toml path dependency "${d.name}" (${d.table}) = ${JSON.stringify(d.path).slice(0, 200)} resolves to ${abs}, ` +
          `outside the checkouts in ${sourcesDir}; refusing to build code no pin records`,
        { component, commit },
      );
  }
}
