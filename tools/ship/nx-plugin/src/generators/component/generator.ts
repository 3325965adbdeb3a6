import { type Tree, addProjectConfiguration, getProjects, readProjectConfiguration, updateProjectConfiguration } from '@nx/devkit';
import { componentProjectJson, formatPin, isCommitSha, parseVersions, refProblem } from '@bllvm/manifest';
import type { ComponentGeneratorSchema } from './schema';

const RELEASE_SET = 'release-set';

/**
 * Add a component the way the existing six are wired: the graph in project.json, the commit in
 * pin.toml, the release set depending on it and an entry in versions.toml that agrees with the graph.
 */
export function addComponent(tree: Tree, o: ComponentGeneratorSchema): void {
  const name = o.name;
  const projects = getProjects(tree);
  const components = [...projects.entries()].filter(([, p]) => p.tags?.includes('component')).map(([n]) => n);
  if (projects.has(name)) throw new Error(`a project named "${name}" already exists`);
  if (!isCommitSha(o.commit)) throw new Error(`commit "${o.commit}" is not a 40-character lowercase hex commit`);
  const branch = o.branch ?? 'main';
  const branchProblem = refProblem(branch);
  if (branchProblem) throw new Error(`branch ${branchProblem}`);
  const deps = (o.dependsOn ?? '').split(',').map((d) => d.trim()).filter(Boolean);
  for (const d of deps) if (!components.includes(d)) throw new Error(`dependsOn: "${d}" is not a component (known: ${components.join(', ')})`);
  const kind = o.kind ?? 'library';
  const root = `apps/${name}`;
  const { projectType, tags, implicitDependencies, targets } = componentProjectJson(name, kind, deps);
  addProjectConfiguration(tree, name, { root, projectType, tags, implicitDependencies, targets });
  const repository = o.repository ?? `BTCDecoded/${name}`;
  tree.write(`${root}/pin.toml`, formatPin({ repository, branch, commit: o.commit }));

  if (projects.has(RELEASE_SET)) {
    const set = readProjectConfiguration(tree, RELEASE_SET);
    set.implicitDependencies = [...new Set([...(set.implicitDependencies ?? []), name])];
    updateProjectConfiguration(tree, RELEASE_SET, set);
  }

  if (tree.exists('versions.toml')) {
    const text = tree.read('versions.toml', 'utf8')!;
    const version = o.version ?? '0.1.0';
    const requires = deps.map((d) => {
      const entry = parseVersions(text, 'versions.toml').entries[d];
      return `"${d}=${entry?.version ?? version}"`;
    });
    const line = `${name} = { version = "${version}", git_tag = "v${version}", git_commit = ""${requires.length ? `, requires = [${requires.join(', ')}]` : ''} }`;
    tree.write('versions.toml', insertIntoVersions(text, line));
    parseVersions(tree.read('versions.toml', 'utf8')!, 'versions.toml'); // never leave a file we cannot read
  }
}

/** After the last line of the [versions] table, keeping comments and layout. */
export function insertIntoVersions(text: string, line: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s*\[versions\]\s*$/.test(l));
  if (start < 0) throw new Error('versions.toml has no [versions] table');
  let end = start + 1;
  while (end < lines.length && !/^\s*\[/.test(lines[end]!)) end++;
  let last = end - 1;
  while (last > start && lines[last]!.trim() === '') last--;
  lines.splice(last + 1, 0, line);
  return lines.join('\n');
}

export default async function componentGenerator(tree: Tree, options: ComponentGeneratorSchema) {
  addComponent(tree, options);
  return () => {
    console.log(`next: npm run cli -- check; npx nx run release-set:graph-check`);
  };
}
