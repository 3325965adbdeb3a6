import type { Rule } from '../rule';

/**
 * The one file that may name a module under nx/src/ (Nx's internals): it pins the Nx version and
 * says, for each internal, why the public API does not serve; everything else uses @nx/devkit.
 */
export const NX_INTERNALS_FILE = 'tools/ship/cli/src/nx-runner/nx-internals.ts';

export const nxInternalsInOneFile: Rule = {
  id: 'nx-internals-in-one-file',
  why: "Nx's internals change without notice between versions; kept in one file behind a version check, an Nx upgrade is checked in one place",
  check({ file, imp }) {
    if (!/^nx\/src(\/|$)/.test(imp.specifier) || file === NX_INTERNALS_FILE) return undefined;
    return `"${imp.specifier}" is Nx's internals; use @nx/devkit (or @nx/devkit/testing), or add it to ${NX_INTERNALS_FILE} behind its version check`;
  },
};
