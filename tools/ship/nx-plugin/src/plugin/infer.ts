import { dirname } from 'node:path';
import { type ComponentProjectFile, componentShape, componentTargets } from '@bllvm/manifest';

/** The project configuration inferred for one component folder, as a CreateNodesResult's `projects` holds it. Pure. */
export function inferComponent(pinFile: string, project: ComponentProjectFile | undefined): Record<string, { targets: ReturnType<typeof componentTargets> }> {
  const shape = project && componentShape(project);
  if (!shape) return {};
  return { [dirname(pinFile)]: { targets: componentTargets(shape) } };
}
