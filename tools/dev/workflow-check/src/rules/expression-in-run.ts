import { isScalar, type Node } from 'yaml';
import { expressionsIn } from '../expressions';
import { finding, type Rule } from '../rule';
import { trustOfExpression, typedInputs } from '../trust';
import { get, type JobNode, jobs, mapEntries, seqItems, sourceOf, steps, stringValue } from '../workflow-file';

/** What a finding says about the value, by who can steer it (src/trust.ts). */
const SAYS = {
  attacker: (why: string) => `${why}, which someone outside can write`,
  unknown: (why: string) => `${why}, whose origin is not visible here`,
  secret: (why: string) => `${why}, which lands in the script file and process listings`,
} as const;

export const expressionInRun: Rule = {
  id: 'expression-in-run',
  why: '${{ }} in a script is text substitution before the shell runs: a value someone else wrote becomes code',
  check(wf) {
    const findings = [];
    for (const job of jobs(wf)) {
      const ctx = { typedInputs: typedInputs(wf), literalMatrix: literalMatrixKeys(job) };
      for (const step of steps(job)) {
        for (const { node, what } of scriptsOf(step)) {
          const src = sourceOf(wf, node);
          if (!src) continue;
          for (const e of expressionsIn(src.text)) {
            const trust = trustOfExpression(e.body, ctx);
            if (trust.kind === 'harmless') continue;
            const name = envName(e.body);
            const read = what === 'a run script' ? `"$${name}"` : `process.env.${name}`;
            findings.push(
              finding(
                wf,
                this.id,
                wf.positionAt(src.offset + e.offset),
                `\${{ ${e.body} }} is expanded into ${what} of job "${job.id}": it is ${SAYS[trust.kind](trust.why)}; pass it through env: and read "$NAME" instead`,
                `add "${name}: \${{ ${e.body} }}" to the step's env: and write ${read} in its place${trust.kind === 'secret' ? ' (GitHub masks it in the log; it never lands in the script file)' : ', quoted'}`,
              ),
            );
          }
        }
      }
    }
    return findings;
  },
};

/** An environment variable name for an expression: its last name in capitals (`steps.v.outputs.version` → VERSION). */
export function envName(body: string): string {
  const names = body.match(/[A-Za-z_][\w-]*/g)?.filter((n) => !['github', 'event', 'inputs', 'secrets', 'steps', 'outputs', 'needs', 'env', 'matrix', 'format', 'toJSON', 'fromJSON', 'true', 'false', 'null'].includes(n));
  const name = (names?.[names.length - 1] ?? 'VALUE').replace(/-/g, '_').toUpperCase();
  return /^[A-Z_]/.test(name) ? name : `V_${name}`;
}

/** The code a step runs: its run script, or the script of actions/github-script. */
function scriptsOf(step: Node): { node: Node; what: string }[] {
  const scripts: { node: Node; what: string }[] = [];
  const run = get(step, 'run');
  if (run) scripts.push({ node: run, what: 'a run script' });
  if (stringValue(get(step, 'uses'))?.startsWith('actions/github-script@')) {
    const script = get(get(step, 'with'), 'script');
    if (script) scripts.push({ node: script, what: 'a github-script script' });
  }
  return scripts;
}

/** Matrix keys whose every value is written out in the workflow (not computed from an expression). */
function literalMatrixKeys(job: JobNode): Set<string> {
  const matrix = get(get(job.node, 'strategy'), 'matrix');
  const verdict = new Map<string, boolean>();
  const note = (key: string, literal: boolean) => verdict.set(key, (verdict.get(key) ?? true) && literal);
  for (const { key, value } of mapEntries(matrix)) {
    if (key === 'exclude') continue;
    if (key === 'include') {
      for (const item of seqItems(value)) for (const e of mapEntries(item)) note(e.key, isLiteral(e.value));
      continue;
    }
    const items = seqItems(value);
    note(key, items.length > 0 && items.every(isLiteral));
  }
  return new Set([...verdict].filter(([, literal]) => literal).map(([key]) => key));
}

function isLiteral(node: Node | undefined): boolean {
  if (!isScalar(node)) return false;
  return typeof node.value !== 'string' || !node.value.includes('${{');
}
