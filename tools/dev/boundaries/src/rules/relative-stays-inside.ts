import type { Rule } from '../rule';

export const relativeStaysInside: Rule = {
  id: 'relative-stays-inside',
  why: "a relative path into another project reaches its internals and bypasses its public entry; moving either breaks it silently",
  check({ imp, project, target }) {
    if (!imp.specifier.startsWith('.') || !target) return undefined;
    if (target.project?.root === project?.root) return undefined;
    const into = target.project ? `project "${target.project.name}"` : 'a folder outside every project';
    const use = target.project ? ` (import "@bllvm/${target.project.name}" instead)` : '';
    return `relative import "${imp.specifier}" leaves ${project ? `project "${project.name}"` : 'its folder'} into ${into}${use}`;
  },
};
