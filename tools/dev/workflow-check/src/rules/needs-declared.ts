import { isScalar } from 'yaml';
import { expressionsIn } from '../expressions';
import { finding, type Rule } from '../rule';
import { get, jobs, seqItems, sourceOf } from '../workflow-file';

/**
 * `needs.X.outputs.y` for a job X that is not in `needs` is not an error to GitHub: it is an empty
 * string at run time. A checkout of `ref: ''` then builds whatever main is, not the pinned commit.
 */
const NEEDS_REF = /(?<![\w.-])needs\s*(?:\.\s*([A-Za-z_][\w-]*)|\[\s*'([^']+)'\s*\])/g;

export const needsDeclared: Rule = {
  id: 'needs-declared',
  why: 'reading needs.X of a job not listed in needs: gives an empty string at run time, not an error',
  check(wf) {
    const findings = [];
    for (const job of jobs(wf)) {
      const needsNode = get(job.node, 'needs');
      const needs = new Set(isScalar(needsNode) ? [String(needsNode.value)] : seqItems(needsNode).flatMap((n) => (isScalar(n) ? [String(n.value)] : [])));
      const src = job.node ? sourceOf(wf, job.node) : undefined;
      if (!src) continue;
      // Expressions in ${{ }} and bare if: conditions alike.
      const texts = [...expressionsIn(src.text).map((e) => ({ body: e.body, offset: src.offset + e.offset }))];
      for (const m of src.text.matchAll(/^\s*if:\s*(?!\$\{\{)(.+)$/gm)) texts.push({ body: m[1]!, offset: src.offset + m.index });
      for (const { body, offset } of texts) {
        for (const m of body.matchAll(NEEDS_REF)) {
          const name = (m[1] ?? m[2])!;
          if (!needs.has(name))
            findings.push(finding(wf, this.id, wf.lineAt(offset), `job "${job.id}" reads needs.${name} but does not list "${name}" in needs:, so it reads an empty string`));
        }
      }
    }
    return findings;
  },
};
