/**
 * A TrialOutcome read back from a file, checked, pure: the report job reads what the trial job
 * (which ran unreviewed code) wrote, so every field is held to its type and bounds before it is
 * rendered into a check run.
 */
import type { TrialOutcome, TrialTask } from '@bllvm/orchestrator';

export class OutcomeRecordError extends Error {
  override name = 'OutcomeRecordError';
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\/[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const SHA = /^[0-9a-f]{40}$/;
const STATUSES: readonly TrialTask['status'][] = ['built', 'cache-hit', 'failed', 'skipped'];
const MAX_TASKS = 1_000;

export function readTrialOutcome(raw: unknown, file: string): TrialOutcome {
  const fail = (what: string): never => {
    throw new OutcomeRecordError(`${file}: ${what}`);
  };
  const obj = (v: unknown, where: string) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(`${where} is not an object`));
  const str = (v: unknown, where: string, re?: RegExp, max = 300): string =>
    typeof v === 'string' && v.length <= max && (!re || re.test(v)) ? v : fail(`${where} is not ${re ? 'a valid value' : `a string of at most ${max} characters`}`);
  const o = obj(raw, 'the outcome');
  const allowed = new Set(['component', 'repository', 'ref', 'headSha', 'pullRequest', 'conclusion', 'tasks', 'graph', 'api', 'wallMs']);
  for (const k of Object.keys(o)) if (!allowed.has(k)) fail(`unexpected key "${k.slice(0, 40)}"`);
  const pullRequest = o.pullRequest;
  if (pullRequest !== undefined && !(Number.isSafeInteger(pullRequest) && (pullRequest as number) > 0)) fail('pullRequest is not a pull request number');
  if (o.conclusion !== 'success' && o.conclusion !== 'failure') fail('conclusion is neither success nor failure');
  if (!Number.isFinite(o.wallMs) || (o.wallMs as number) < 0) fail('wallMs is not a duration');
  if (!Array.isArray(o.tasks) || o.tasks.length > MAX_TASKS) fail(`tasks is not a list of at most ${MAX_TASKS}`);
  const tasks = (o.tasks as unknown[]).map((t, i): TrialTask => {
    const task = obj(t, `tasks[${i}]`);
    for (const k of Object.keys(task)) if (!['project', 'target', 'status', 'firstError'].includes(k)) fail(`tasks[${i}] has an unexpected key "${k.slice(0, 40)}"`);
    const status = STATUSES.includes(task.status as TrialTask['status']) ? (task.status as TrialTask['status']) : fail(`tasks[${i}].status is not one of ${STATUSES.join(', ')}`);
    return {
      project: str(task.project, `tasks[${i}].project`, NAME),
      target: str(task.target, `tasks[${i}].target`, NAME),
      status,
      ...(task.firstError !== undefined ? { firstError: str(task.firstError, `tasks[${i}].firstError`, undefined, 300) } : {}),
    };
  });
  const graph = obj(o.graph, 'graph');
  if (!Array.isArray(graph.nodes) || !Array.isArray(graph.edges) || graph.nodes.length > MAX_TASKS || graph.edges.length > MAX_TASKS * 4) fail('graph is not {nodes, edges}');
  const nodes = (graph.nodes as unknown[]).map((n, i) => str(n, `graph.nodes[${i}]`, NAME));
  const edges = (graph.edges as unknown[]).map((e, i): [string, string] =>
    Array.isArray(e) && e.length === 2 ? [str(e[0], `graph.edges[${i}]`, NAME), str(e[1], `graph.edges[${i}]`, NAME)] : fail(`graph.edges[${i}] is not a pair`),
  );
  let api: TrialOutcome['api'];
  if (o.api !== undefined) {
    const a = obj(o.api, 'api');
    const classification = a.classification === 'breaking' || a.classification === 'additive' || a.classification === 'none' ? a.classification : fail('api.classification is not breaking, additive or none');
    if (!Array.isArray(a.items) || a.items.length > MAX_TASKS) fail('api.items is not a list');
    api = { classification, items: (a.items as unknown[]).map((it, i) => str(it, `api.items[${i}]`, undefined, 500)) };
  }
  return {
    component: str(o.component, 'component', NAME),
    repository: str(o.repository, 'repository', REPOSITORY),
    ref: str(o.ref, 'ref', undefined, 250),
    headSha: str(o.headSha, 'headSha', SHA),
    ...(pullRequest !== undefined ? { pullRequest: pullRequest as number } : {}),
    conclusion: o.conclusion as TrialOutcome['conclusion'],
    tasks,
    graph: { nodes, edges },
    ...(api ? { api } : {}),
    wallMs: o.wallMs as number,
  };
}
