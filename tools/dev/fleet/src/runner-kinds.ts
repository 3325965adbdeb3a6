import { RUNNER_CLASSES } from '@bllvm/manifest';

/**
 * The runners an operator registers (docs/operations.md, "Setting up a fleet"), by kind: one per
 * runner class with that class's labels, and the release runners for the jobs that hold the
 * tokens (pin, publish), whose `release` label no class has. A job is given a runner the way
 * GitHub gives it: one that has every label the job asks for.
 */
export const REGISTERED_RUNNERS: Readonly<Record<string, readonly string[]>> = {
  ...RUNNER_CLASSES,
  release: ['self-hosted', 'Linux', 'X64', 'release'],
};

/**
 * The kind of registered runner a job asking for `labels` is given: among the kinds that have all
 * of them, the one with the fewest labels (a plan job on the builds labels goes to a builds
 * runner, not a perf one, as an idle builds runner usually takes it); undefined when no kind has
 * them (GitHub would queue the job until one is registered). Pure.
 */
export function runnerKindFor(labels: readonly string[], registered: Readonly<Record<string, readonly string[]>> = REGISTERED_RUNNERS): string | undefined {
  const fits = Object.entries(registered).filter(([, have]) => labels.every((l) => have.includes(l)));
  fits.sort(([, a], [, b]) => a.length - b.length);
  return fits[0]?.[0];
}

/** Every kind of registered runner that could be given a job asking for `labels`. Pure. */
export function runnerKindsFor(labels: readonly string[], registered: Readonly<Record<string, readonly string[]>> = REGISTERED_RUNNERS): string[] {
  return Object.entries(registered)
    .filter(([, have]) => labels.every((l) => have.includes(l)))
    .map(([kind]) => kind);
}
