import { type Tree, getProjects } from '@nx/devkit';
import { RELEASE_SET_PROJECT, VERSIONS_FILE, planAddComponents } from '@bllvm/manifest';
import type { ComponentGeneratorSchema } from './schema';

export { insertIntoVersions } from '@bllvm/manifest';

/**
 * Add a component the way the existing ones are wired (planAddComponents, which `import` uses
 * too): the graph in project.json, the commit in pin.toml, the release set depending on it and an
 * entry in versions.toml that agrees with the graph. It runs no `nx sync`: the graph is given.
 */
export function addComponent(tree: Tree, o: ComponentGeneratorSchema): void {
  const name = o.name;
  const projects = getProjects(tree);
  const components = [...projects.entries()].filter(([, p]) => p.tags?.includes('component')).map(([n]) => n);
  if (projects.has(name)) throw new Error(`a project named "${name}" already exists`);
  const read = (path: string) => (tree.exists(path) ? tree.read(path, 'utf8')! : undefined);
  const writes = planAddComponents({ releaseSet: read(RELEASE_SET_PROJECT), versions: read(VERSIONS_FILE) }, components, [
    {
      id: name,
      pin: { repository: o.repository ?? `BTCDecoded/${name}`, branch: o.branch ?? 'main', commit: o.commit },
      kind: o.kind ?? 'library',
      dependsOn: (o.dependsOn ?? '').split(',').map((d) => d.trim()).filter(Boolean),
      ...(o.version !== undefined ? { version: o.version } : {}),
    },
  ]);
  for (const w of writes) tree.write(w.path, w.text);
}

export default async function componentGenerator(tree: Tree, options: ComponentGeneratorSchema) {
  addComponent(tree, options);
  return () => {
    console.log(`next: npm run cli -- check; npx nx run release-set:graph-check`);
  };
}
