/**
 * The layering of the workspace, by Nx project tag. A project may import the projects whose tags
 * its own tag lists here, and only through their public entry point (the `@bllvm/<name>` alias).
 *
 *   type:lib     libs/             the ground floor: imports only other libs
 *   type:ship    tools/ship/       what ships (CLI, Nx plugin, cache server): libs and each other
 *   type:double  tools/doubles/    stand-ins for GitHub, the org, Docker, and the demo built on them
 *   type:dev     tools/dev/        bench, reliability report, workflow-check, this check: anything
 *
 * Test code (`*.test.ts`, `test/`, `testing.ts`, `test-support.ts`) may also use the test doubles:
 * that is what they are for, and the projects' testing entries (`@bllvm/<name>/testing`).
 * Production code never does, so nothing that ships depends on a stand-in or a test helper.
 */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  'type:lib': ['type:lib'],
  'type:ship': ['type:lib', 'type:ship'],
  'type:double': ['type:lib', 'type:double'],
  'type:dev': ['type:lib', 'type:ship', 'type:double', 'type:dev'],
};

/** Tags test code may reach in addition to its own project's. */
export const TEST_EXTRA = ['type:double'] as const;

export function isTestFile(path: string): boolean {
  return /\.test\.[cm]?ts$/.test(path) || /(^|\/)test\//.test(path) || /(^|\/)(testing|test-support)\.ts$/.test(path);
}
