import { isPair, isScalar, type Scalar, visit } from 'yaml';
import { expressionsIn, inputReferences } from '../expressions';
import type { Finding } from '../finding';
import { finding, type Rule } from '../rule';
import { get, mapEntries, sourceOf, triggers } from '../workflow-file';

export const declaredInputs: Rule = {
  id: 'declared-inputs',
  why: 'an undeclared input reads as an empty string: the seed passed inputs its callee never declared',
  check(wf) {
    const on = triggers(wf);
    const declared = new Set(['workflow_call', 'workflow_dispatch'].flatMap((event) => mapEntries(get(on.get(event), 'inputs')).map((e) => e.key)));
    const findings: Finding[] = [];
    visit(wf.doc, {
      Scalar(key, node, path) {
        if (key === 'key' || typeof node.value !== 'string') return;
        const parent = path[path.length - 1];
        const isCondition = isPair(parent) && isScalar(parent.key) && parent.key.value === 'if';
        for (const { name, line } of references(node, isCondition)) {
          if (!declared.has(name)) findings.push(finding(wf, declaredInputs.id, line, `inputs.${name} is not declared under on.workflow_call.inputs or on.workflow_dispatch.inputs`));
        }
      },
    });
    return findings;

    /** Input names a scalar reads, with the line of each; `if:` is an expression even without ${{ }}. */
    function references(node: Scalar, isCondition: boolean): { name: string; line: number }[] {
      const src = sourceOf(wf, node);
      const value = node.value as string;
      if (isCondition && !value.includes('${{')) return inputReferences(value).map((name) => ({ name, line: wf.lineOf(node) }));
      if (!src) return [];
      return expressionsIn(src.text).flatMap((e) => inputReferences(e.body).map((name) => ({ name, line: wf.lineAt(src.offset + e.offset) })));
    }
  },
};
