import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The sandbox stacks the tests and the demo build: the seed's six repositories, or the real org's ten. */
export type StackProfile = 'seed' | 'real';
export const STACK_PROFILES: readonly StackProfile[] = ['seed', 'real'];

/**
 * One component of a profile: the repository `import` adopts (as component `id`), and the project
 * configuration a maintainer adds after it: kind tags, target options, files such as a Dockerfile.
 */
export interface ProfileComponent {
  repository: string;
  id: string;
  tags: string[];
  /** What its project.json adds to the targets the Nx plugin infers from its kinds. */
  targets?: Record<string, unknown>;
  /** Files under profiles/<profile>/<id>/, copied into apps/<id>/. */
  files?: string[];
}

export interface Profile {
  name: StackProfile;
  dir: string;
  components: ProfileComponent[];
  /** profiles/<profile>/versions.toml: the official release set of that stack. */
  versionsFile: string;
}

const PROFILES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'profiles');

export function isStackProfile(name: string): name is StackProfile {
  return (STACK_PROFILES as readonly string[]).includes(name);
}

export async function readProfile(name: StackProfile): Promise<Profile> {
  const dir = join(PROFILES_DIR, name);
  const doc = JSON.parse(await readFile(join(dir, 'stack.json'), 'utf8')) as { components: ProfileComponent[] };
  return { name, dir, components: doc.components, versionsFile: join(dir, 'versions.toml') };
}
