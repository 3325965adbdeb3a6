/**
 * Dev-dependencies are edges for `test` only: a component's tests are rebuilt when a dev upstream's
 * pin moves, its build is not. Nx says so with one input on the test target,
 * `{ "input": "pin", "projects": [<dev upstreams>] }`, beside the target defaults' inputs (a
 * target's own `inputs` replace the defaults, so they are repeated). Pure.
 */
export type Input = string | Record<string, unknown>;

const isDevPin = (i: Input): i is { input: 'pin'; projects: string[] } =>
  typeof i === 'object' && i.input === 'pin' && Array.isArray(i.projects) && Object.keys(i).length === 2;

/** The dev upstreams a test target's inputs name (none when it has no inputs of its own). */
export function devUpstreamsOf(inputs: readonly Input[] | undefined): string[] {
  return [...new Set((inputs ?? []).filter(isDevPin).flatMap((i) => i.projects))].sort();
}

/**
 * The test target's inputs naming exactly `devUpstreams`: undefined (use the defaults) when there
 * are none and nothing else was set; otherwise its inputs (or the defaults) with the one dev input.
 */
export function withDevUpstreams(inputs: readonly Input[] | undefined, defaults: readonly Input[], devUpstreams: readonly string[]): Input[] | undefined {
  const rest = (inputs ?? defaults).filter((i) => !isDevPin(i));
  if (devUpstreams.length === 0) return inputs === undefined || sameInputs(rest, defaults) ? undefined : rest;
  return [...rest, { input: 'pin', projects: [...devUpstreams].sort() }];
}

const sameInputs = (a: readonly Input[], b: readonly Input[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * `nx affected` follows implicitDependencies only, so it misses a component whose tests use an
 * affected one through a dev-dependency (the test input above is not a graph edge). These are the
 * components to add when tests run: those whose test inputs name an affected component. Pure.
 */
export function testDependents(testUpstreams: Readonly<Record<string, readonly string[]>>, affected: ReadonlySet<string>): string[] {
  return Object.keys(testUpstreams)
    .filter((c) => !affected.has(c) && testUpstreams[c]!.some((u) => affected.has(u)))
    .sort();
}
