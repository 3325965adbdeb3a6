import { ownPackage, readComponentGraph, readComponents } from '@bllvm/manifest';
import { cachedFacts } from '../../lib/crate-facts';
import { buildOptionProblems } from '../cargo/build-options';

/**
 * The `binaries` option against the bin targets of the pinned crate, from the metadata the
 * component's build read (cached per repository, commit and crate folder): a name the crate does
 * not build is refused naming its binaries. Nothing cached (the build came from another
 * machine's Nx cache): undefined, and the build record's check stands alone.
 */
export async function pinnedBinaryProblems(workspaceRoot: string, workDir: string, component: string, binaries: readonly string[]): Promise<string[] | undefined> {
  const [c] = await readComponents(workspaceRoot, await readComponentGraph(workspaceRoot), [component]);
  if (!c) return undefined;
  const facts = await cachedFacts(workDir, { repository: c.repository, commit: c.pin.commit, crateDir: c.crate.dir });
  if (!facts) return undefined;
  const pkg = ownPackage({ id: c.id, repository: c.repository, checkoutFolder: c.checkoutFolder, crate: c.crate, commit: c.pin.commit, facts });
  return pkg ? buildOptionProblems(pkg, { binaries }, { component, commit: c.pin.commit }) : undefined;
}
