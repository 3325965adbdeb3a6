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
      const needs = isScalar(needsNode) ? [String(needsNode.value)] : seqItems(needsNode).flatMap((n) => (isScalar(n) ? [String(n.value)] : []));
      const src = job.node ? sourceOf(wf, job.node) : undefined;
      if (!src) continue;
      // Expressions in ${{ }} and bare if: conditions alike; offsets are into the job's source.
      const texts = expressionsIn(src.text).map((e) => ({ body: src.text.slice(e.offset, src.text.indexOf('}}', e.offset)), offset: e.offset }));
      for (const m of src.text.matchAll(/^(\s*if:\s*)(?!\$\{\{)(.+)$/gm)) texts.push({ body: m[2]!, offset: m.index + m[1]!.length });
      for (const { body, offset } of texts) {
        for (const m of body.matchAll(NEEDS_REF)) {
          const name = (m[1] ?? m[2])!;
          if (needs.includes(name)) continue;
          const list = [...needs, name];
          findings.push(
            finding(
              wf,
              this.id,
              wf.positionAt(src.offset + offset + m.index),
              `job "${job.id}" reads needs.${name} but does not list "${name}" in needs:, so it reads an empty string`,
              `list it: "needs: ${list.length === 1 ? name : `[${list.join(', ')}]`}" in job "${job.id}"`,
            ),
          );
        }
      }
    }
    return findings;
  },
};
