import { LAYERS, TEST_EXTRA } from '../layers';
import type { Rule } from '../rule';

export const layering: Rule = {
  id: 'layering',
  why: 'libs are the ground floor and what ships never depends on a test double or a developer tool',
  check({ project, target, isTest }) {
    if (!project || !target?.project || target.project.root === project.root) return undefined;
    const allowed = new Set(project.tags.flatMap((t) => LAYERS[t] ?? []));
    if (isTest) for (const t of TEST_EXTRA) allowed.add(t);
    if (target.project.tags.some((t) => allowed.has(t))) return undefined;
    const from = project.tags.filter((t) => t in LAYERS).join(', ') || 'no layer tag';
    const to = target.project.tags.join(', ') || 'no tags';
    return `${project.name} (${from}) may not depend on ${target.project.name} (${to})${isTest ? '' : '; only its tests may use test doubles'}`;
  },
};
