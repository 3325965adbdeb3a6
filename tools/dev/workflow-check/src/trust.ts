import { get, mapEntries, stringValue, triggers, type WorkflowFile } from './workflow-file';

/**
 * Who can steer the value of a `${{ }}` expression — the difference between a finding that means
 * "someone outside can run code here" and one that means "nobody checked where this came from".
 *
 * - `attacker`: text anyone who can open a pull request, push a branch, file an issue or send a
 *   dispatch writes (payload fields, branch and tag names, titles, bodies, messages, string inputs).
 * - `unknown`: produced by another step or job, or the environment: its provenance is not visible
 *   here, so it is treated as untrusted until it is passed through env:.
 * - `secret`: not an injection, a leak: a secret pasted into a script lands in the script file and
 *   every process listing.
 * - `harmless`: set by GitHub in a shape nobody can steer (ids, numbers, shas, paths, booleans,
 *   statuses), a literal matrix value, or a typed input (boolean, number, choice).
 */
export type Trust = { kind: 'harmless' } | { kind: 'attacker' | 'unknown' | 'secret'; why: string };

const HARMLESS_GITHUB = new Set([
  'workspace', 'run_id', 'run_number', 'run_attempt', 'sha', 'repository', 'repository_id', 'repository_owner',
  'repository_owner_id', 'event_name', 'ref_type', 'job', 'workflow', 'workflow_sha', 'server_url', 'api_url',
  'graphql_url', 'actor_id', 'retention_days', 'ref_protected', 'action_path',
]);

/** Payload fields that are numbers, ids, shas or booleans in every event that has them. */
const HARMLESS_EVENT_LEAF = /^(?:number|id|node_id|sha|before|after|head_sha|base_sha|merged|draft|run_id|run_number|run_attempt|forced|created|deleted)$/;

/** Inputs whose type leaves no room for text (read from on.workflow_dispatch/workflow_call). */
export function typedInputs(wf: WorkflowFile): Set<string> {
  const typed = new Set<string>();
  for (const trigger of ['workflow_dispatch', 'workflow_call']) {
    for (const { key, value } of mapEntries(get(triggers(wf).get(trigger), 'inputs'))) {
      const type = stringValue(get(value, 'type'));
      if (type === 'boolean' || type === 'number' || type === 'choice') typed.add(key);
    }
  }
  return typed;
}

/** The trust of one context reference (`github.event.x.y`, `inputs.z`, …), normalised to dots. */
export function trustOfReference(ref: string, ctx: { typedInputs: Set<string>; literalMatrix: Set<string> }): Trust {
  const parts = ref.replace(/\[\s*['"]([^'"]+)['"]\s*\]/g, '.$1').split('.');
  const [root, second] = parts;
  const leaf = parts[parts.length - 1] ?? '';
  switch (root) {
    case 'runner':
    case 'strategy':
    case 'job':
    case 'vars': // repository variables: only admins set them
      return { kind: 'harmless' };
    case 'matrix':
      return second && ctx.literalMatrix.has(second) ? { kind: 'harmless' } : { kind: 'unknown', why: 'a matrix value computed at run time' };
    case 'inputs':
      return second && ctx.typedInputs.has(second) ? { kind: 'harmless' } : { kind: 'attacker', why: 'a free-text input' };
    case 'secrets':
      return { kind: 'secret', why: 'a secret' };
    case 'steps':
      return leaf === 'outcome' || leaf === 'conclusion' ? { kind: 'harmless' } : { kind: 'unknown', why: "another step's output" };
    case 'needs':
      return leaf === 'result' ? { kind: 'harmless' } : { kind: 'unknown', why: "another job's output" };
    case 'env':
      return { kind: 'unknown', why: 'an environment value' };
    case 'github':
      if (second && HARMLESS_GITHUB.has(second) && parts.length === 2) return { kind: 'harmless' };
      if (second === 'event') {
        // A dispatch payload is JSON the sender wrote: a field named "sha" can hold anything.
        if (parts[2] === 'client_payload') return { kind: 'attacker', why: 'a field of the dispatch payload' };
        if (parts[2] === 'inputs') return parts[3] && ctx.typedInputs.has(parts[3]) ? { kind: 'harmless' } : { kind: 'attacker', why: 'a free-text input' };
        return HARMLESS_EVENT_LEAF.test(leaf) ? { kind: 'harmless' } : { kind: 'attacker', why: 'a field of the event payload' };
      }
      if (second === 'head_ref' || second === 'base_ref' || second === 'ref' || second === 'ref_name')
        return { kind: 'attacker', why: 'a branch or tag name, which whoever pushes chooses' };
      if (second === 'actor' || second === 'triggering_actor') return { kind: 'harmless' }; // logins are [A-Za-z0-9-]
      if (second === 'token') return { kind: 'secret', why: 'the job token' };
      return { kind: 'unknown', why: `github.${second ?? ''}` };
    default:
      return { kind: 'unknown', why: `the ${root} context` };
  }
}

const REFERENCE = /(?<![\w.'"-])(github|inputs|secrets|steps|needs|env|matrix|runner|strategy|job|vars)((?:\s*\.\s*[\w-]+|\s*\[\s*['"][^'"]+['"]\s*\]|\.\*)*)/g;

/**
 * The least trusted reference inside an expression: `format('{0}', github.ref)` is as untrusted
 * as `github.ref`. An expression made only of literals and harmless references is harmless.
 */
export function trustOfExpression(body: string, ctx: { typedInputs: Set<string>; literalMatrix: Set<string> }): Trust {
  const rank = { harmless: 0, unknown: 1, secret: 2, attacker: 3 } as const;
  let worst: Trust = { kind: 'harmless' };
  const withoutStrings = body.replace(/'(?:[^']|'')*'/g, "''");
  for (const m of withoutStrings.matchAll(REFERENCE)) {
    const t = trustOfReference(`${m[1]}${m[2]!.replace(/\s+/g, '')}`, ctx);
    if (rank[t.kind] > rank[worst.kind]) worst = t;
  }
  return worst;
}
