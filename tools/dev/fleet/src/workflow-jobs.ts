import { parse } from 'yaml';

/** One step as the rehearsal runs it. */
export interface Step {
  id?: string;
  name: string;
  if?: string;
  run?: string;
  uses?: string;
  with: Record<string, string>;
  env: Record<string, string>;
}

/** One job of a workflow file, as written (expressions not yet evaluated). */
export interface Job {
  id: string;
  name: string;
  runsOn: string[];
  needs: string[];
  if?: string;
  env: Record<string, string>;
  outputs: Record<string, string>;
  steps: Step[];
}

export interface Workflow {
  name: string;
  env: Record<string, string>;
  /** In the file's order; run them in `needs` order (jobOrder). */
  jobs: Job[];
}

/**
 * The jobs of a workflow file. Only what a runner executes is read; whether the file is a valid
 * workflow is workflow-check's business (GitHub's parser), which CI runs on the same files.
 */
export function readWorkflow(source: string): Workflow {
  const doc = parse(source) as Record<string, unknown>;
  const jobs = record(doc.jobs);
  return {
    name: String(doc.name ?? ''),
    env: strings(doc.env),
    jobs: Object.entries(jobs).map(([id, raw]) => {
      const j = record(raw);
      const runsOn = j['runs-on'];
      return {
        id,
        name: String(j.name ?? id),
        runsOn: Array.isArray(runsOn) ? runsOn.map(String) : runsOn === undefined ? [] : [String(runsOn)],
        needs: Array.isArray(j.needs) ? j.needs.map(String) : j.needs === undefined ? [] : [String(j.needs)],
        if: j.if === undefined ? undefined : String(j.if),
        env: strings(j.env),
        outputs: strings(j.outputs),
        steps: (Array.isArray(j.steps) ? j.steps : []).map((s: unknown, i: number) => {
          const st = record(s);
          const name = String(st.name ?? st.uses ?? (typeof st.run === 'string' ? st.run.split('\n')[0] : `step ${i + 1}`));
          return {
            id: st.id === undefined ? undefined : String(st.id),
            name,
            if: st.if === undefined ? undefined : String(st.if),
            run: st.run === undefined ? undefined : String(st.run),
            uses: st.uses === undefined ? undefined : String(st.uses),
            with: strings(st.with),
            env: strings(st.env),
          };
        }),
      };
    }),
  };
}

/** The jobs in an order that runs every job after its `needs`; throws on a cycle or an unknown need. Pure. */
export function jobOrder(jobs: readonly Job[]): Job[] {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const done = new Set<string>();
  const out: Job[] = [];
  const visit = (job: Job, path: string[]) => {
    if (done.has(job.id)) return;
    if (path.includes(job.id)) throw new Error(`jobs need each other: ${[...path, job.id].join(' → ')}`);
    for (const n of job.needs) {
      const need = byId.get(n);
      if (!need) throw new Error(`job ${job.id} needs ${n}, which is not a job of this workflow`);
      visit(need, [...path, job.id]);
    }
    done.add(job.id);
    out.push(job);
  };
  for (const j of jobs) visit(j, []);
  return out;
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function strings(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(record(v)).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]));
}
