import { type ComponentKind, kindTags } from './component';
import { COMPONENT_TAG } from './graph';

/** The project.json of a component as `import` and the component generator first write it. */
export interface ComponentProjectJson {
  name: string;
  $schema: string;
  projectType: 'library' | 'application';
  tags: string[];
  implicitDependencies: string[];
}

/**
 * A new component's project.json: the Nx plugin infers its targets from its kind, the graph
 * (implicitDependencies) comes from the manifests (`nx sync`), so only the kind is said here. Pure.
 */
export function componentProjectJson(id: string, kind: ComponentKind, implicitDependencies: readonly string[] = []): ComponentProjectJson {
  return {
    name: id,
    $schema: '../../node_modules/nx/schemas/project-schema.json',
    projectType: kind === 'library' ? 'library' : 'application',
    tags: [COMPONENT_TAG, ...kindTags(kind)],
    implicitDependencies: [...implicitDependencies],
  };
}
