import { isPair, isScalar, type Scalar, visit } from 'yaml';
import { expressionsIn, inputReferences } from '../expressions';
import type { Finding, Position } from '../finding';
import { closest } from '../closest';
import { finding, type Rule } from '../rule';
import { get, mapEntries, sourceOf, triggers } from '../workflow-file';

export const declaredInputs: Rule = {
  id: 'declared-inputs',
  why: 'an undeclared input reads as an empty string: the seed passed inputs its callee never declared',
  check(wf) {
    const on = triggers(wf);
    const declared = new Set(['workflow_call', 'workflow_dispatch'].flatMap((event) => mapEntries(get(on.get(event), 'inputs')).map((e) => e.key)));
    const where = on.has('workflow_call') ? 'on.workflow_call.inputs' : on.has('workflow_dispatch') ? 'on.workflow_dispatch.inputs' : 'on.workflow_dispatch.inputs (or on.workflow_call.inputs)';
    const findings: Finding[] = [];
    visit(wf.doc, {
      Scalar(key, node, path) {
        if (key === 'key' || typeof node.value !== 'string') return;
        const parent = path[path.length - 1];
        const isCondition = isPair(parent) && isScalar(parent.key) && parent.key.value === 'if';
        for (const { name, at } of references(node, isCondition)) {
          if (declared.has(name)) continue;
          const near = closest(name, [...declared]);
          findings.push(
            finding(
              wf,
              declaredInputs.id,
              at,
              `inputs.${name} is not declared under on.workflow_call.inputs or on.workflow_dispatch.inputs`,
              near ? `read inputs.${near}, which is declared, or declare ${name} under ${where}` : `declare it under ${where}: "${name}: { type: string, required: false }"`,
            ),
          );
        }
      },
    });
    return findings;

    /** Input names a scalar reads, with where each is; `if:` is an expression even without ${{ }}. */
    function references(node: Scalar, isCondition: boolean): { name: string; at: Position }[] {
      const src = sourceOf(wf, node);
      const value = node.value as string;
      if (!src) return [];
      const at = (from: number, name: string) => {
        const i = src.text.indexOf(name, from);
        return wf.positionAt(src.offset + (i < 0 ? from : Math.max(from, src.text.lastIndexOf('inputs', i))));
      };
      if (isCondition && !value.includes('${{')) return inputReferences(value).map((name) => ({ name, at: at(0, name) }));
      return expressionsIn(src.text).flatMap((e) => inputReferences(e.body).map((name) => ({ name, at: at(e.offset, name) })));
    }
  },
};
