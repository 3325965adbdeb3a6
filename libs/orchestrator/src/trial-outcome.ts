/**
 * What a trial build of one component at a pull request's head found: the component built at the
 * head in place of its pin, everything downstream at its pins. The trial command makes it; the
 * check run on the pull request, the workflow's job summary and the demo render it.
 */
export interface TrialOutcome {
  /** The component whose pull request is tried. */
  component: string;
  /** Its repository, `owner/name`. */
  repository: string;
  /** The ref asked for (a branch, `pull/<n>/head`, a sha) and the 40-hex commit it resolved to. */
  ref: string;
  headSha: string;
  /** The pull request, when the trial came from one. */
  pullRequest?: number;
  /** success: every task passed; failure: some task failed (the tasks say which). */
  conclusion: 'success' | 'failure';
  /** Every task the trial ran or found in the cache, in the order Nx reported them. */
  tasks: TrialTask[];
  /** The affected part of the graph: the component and its downstream, edges upstream → downstream. */
  graph: { nodes: string[]; edges: Array<[upstream: string, downstream: string]> };
  /** The compatibility gate's verdict on the component's public API, when it ran. */
  api?: { classification: 'breaking' | 'additive' | 'none'; items: string[] };
  wallMs: number;
}

export interface TrialTask {
  project: string;
  target: string;
  status: 'built' | 'cache-hit' | 'failed' | 'skipped';
  /** For a failed task: the first error line of its output (cargo's `error[...]` line), bounded. */
  firstError?: string;
}
