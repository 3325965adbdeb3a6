/**
 * Events arrive from other repositories' workflows (repository_dispatch) or people
 * (workflow_dispatch). Everything in them is untrusted: they are parsed once into an action,
 * against a whitelist of types and keys, before anything reads a pin or runs git. A component may
 * be named by any of its names (names.ts); a former name is accepted with a warning, which the
 * action carries so the command prints it once.
 */
export type EventAction =
  | { kind: 'move-pin'; component: string; sha: string; ref?: string; force: boolean; source: string; warnings?: string[] }
  /** An upstream changed: its pin moves to its branch head; `scope` (it and its transitive dependents) is what rebuilds. */
  | { kind: 'move-to-head'; component: string; scope: string[]; version?: string; source: string; warnings?: string[] }
  | { kind: 'refresh-all'; source: string }
  /** A pull request's head to try (trial.yml): builds in a scratch clone, moves no pin; `sha` is checked against the pull request before. */
  | { kind: 'trial'; component: string; repository: string; pullRequest: number; sha: string; source: string; warnings?: string[] }
  | { kind: 'none'; source: string; reason: string; warnings?: string[] };
