/** The outputs a release gate reads, each made by one target of the component. */
export type GateOutput = 'build' | 'test' | 'verify' | 'image';

export type Producers = Record<GateOutput, string>;

/** The usual targets: a component whose `build` is its image declares its own (see producersOf). */
export const DEFAULT_PRODUCERS: Producers = { build: 'build', test: 'test', verify: 'verify', image: 'build' };

// dist/<component>/<what> as the targets' `outputs` spell it.
const OUTPUT: Record<GateOutput, RegExp> = {
  build: /\{projectName\}\/build$/,
  test: /\{projectName\}\/test$/,
  verify: /\{projectName\}\/verify$/,
  image: /\{projectName\}\/image\.json$/,
};

/**
 * Which of a project's targets makes each output the gate reads, from the targets' declared
 * `outputs` (so a missing file is reported with the task that makes it: where `build` is the image, the build
 * record then comes from `compile`). Falls back to DEFAULT_PRODUCERS. Pure.
 */
export function producersOf(targets: Record<string, { outputs?: string[] }> | undefined): Producers {
  const found: Producers = { ...DEFAULT_PRODUCERS };
  for (const [target, config] of Object.entries(targets ?? {}))
    for (const out of config.outputs ?? [])
      for (const kind of Object.keys(OUTPUT) as GateOutput[]) if (OUTPUT[kind].test(out)) found[kind] = target;
  return found;
}

/** What to run to make a missing output: the CLI's build (what CI runs), or the one Nx task. Pure. */
export function buildHint(component: string, target: string): string {
  return `build it first with \`npm run cli -- build --targets build,test,verify,package\` (this task alone: \`npx nx run ${component}:${target}\`)`;
}
