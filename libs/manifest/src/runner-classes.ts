import { OrchestratorError } from './errors';
import { COMPONENT_TAG } from './graph';

/**
 * The classes of self-hosted runner, and the labels a job of each class runs on: the one place
 * they are spelled. Each task says its class in its target's `metadata.runnerClass` (the targets
 * the Nx plugin infers give build/test → builds, verify → perf and an image's build docker),
 * and the workflows have one job per class whose `runs-on` is exactly these labels.
 */
export const RUNNER_CLASSES = {
  /** Cargo builds and tests: any build runner. */
  builds: ['self-hosted', 'Linux', 'X64', 'builds'],
  /** Proofs (Kani) that take hours: the big machines. */
  perf: ['self-hosted', 'Linux', 'X64', 'builds', 'perf'],
  /** Container images: runners with a docker daemon. */
  docker: ['self-hosted', 'Linux', 'X64', 'builds', 'docker'],
} as const satisfies Record<string, readonly string[]>;

export type RunnerClass = keyof typeof RUNNER_CLASSES;
export const RUNNER_CLASS_NAMES = Object.keys(RUNNER_CLASSES) as RunnerClass[];

/** Targets that run in the publish job (which holds the tokens), never on a class's runner: they have no class. */
export const PUBLISH_TARGETS: readonly string[] = ['release'];

/** The release-set project: its graph-check runs beside the builds; its release publishes. */
const RELEASE_SET_TAG = 'release-set';

/** The executor that needs a docker daemon: its targets must be of the docker class. */
const DOCKER_EXECUTOR = './tools/ship/nx-plugin:docker';

export function isRunnerClass(name: unknown): name is RunnerClass {
  return typeof name === 'string' && Object.hasOwn(RUNNER_CLASSES, name);
}

export class RunnerClassError extends OrchestratorError {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerClassError';
  }
}

/** The part of a project's configuration (as in Nx's project graph) the classes are read from. */
export interface ClassedProject {
  tags?: string[];
  targets?: Record<string, { executor?: string; metadata?: Record<string, unknown> }>;
}

/** Whether a project's targets must declare a class: the components and the release set (not the tools). */
export function isPipelineProject(project: ClassedProject): boolean {
  return !!project.tags?.some((t) => t === COMPONENT_TAG || t === RELEASE_SET_TAG);
}

/**
 * The runner class of `project:target`, from its metadata. Throws naming the project and target
 * when it has none, names an unknown class, or is a publish target (which has no class).
 */
export function runnerClassOf(projectName: string, targetName: string, project: ClassedProject): RunnerClass {
  if (PUBLISH_TARGETS.includes(targetName)) throw new RunnerClassError(`${projectName}:${targetName} runs in the publish job; it has no runner class`);
  const problem = targetClassProblem(projectName, targetName, project);
  if (problem) throw new RunnerClassError(problem);
  return project.targets![targetName]!.metadata!.runnerClass as RunnerClass;
}

function targetClassProblem(projectName: string, targetName: string, project: ClassedProject): string | undefined {
  const target = project.targets?.[targetName];
  if (!target) return `${projectName}:${targetName}: no such target`;
  const declared = target.metadata?.runnerClass;
  const where = `${projectName}:${targetName}`;
  const known = RUNNER_CLASS_NAMES.join(', ');
  if (PUBLISH_TARGETS.includes(targetName)) {
    return declared === undefined ? undefined : `${where} runs in the publish job and has no runner class; remove metadata.runnerClass ("${String(declared)}") from it`;
  }
  if (declared === undefined)
    return `${where} has no runner class; add "metadata": { "runnerClass": "<${known.replaceAll(', ', ' | ')}>" } to the target in its project.json (the targets the Nx plugin infers for a component have theirs: libs/manifest/src/component-targets.ts)`;
  if (!isRunnerClass(declared)) return `${where} has runner class "${String(declared)}", which is not one of ${known} (libs/manifest/src/runner-classes.ts)`;
  if (target.executor === DOCKER_EXECUTOR && declared !== 'docker') return `${where} builds an image, which needs a docker runner, but its runner class is "${declared}"; set metadata.runnerClass to "docker"`;
  return undefined;
}

/** Every problem of every pipeline project's targets, in one pass (graph-check reports them all). */
export function runnerClassProblems(projects: Readonly<Record<string, ClassedProject>>): string[] {
  const problems: string[] = [];
  for (const [name, project] of Object.entries(projects).sort(([a], [b]) => a.localeCompare(b))) {
    if (!isPipelineProject(project)) continue;
    for (const target of Object.keys(project.targets ?? {}).sort()) {
      const p = targetClassProblem(name, target, project);
      if (p) problems.push(p);
    }
  }
  return problems;
}

/** One task as the plan and the per-class build see it. */
export interface ClassedTask {
  /** `project:target`. */
  id: string;
  runnerClass: RunnerClass;
  /** Ids of the tasks it depends on (any class). */
  dependencies: readonly string[];
}

export interface ClassPlan {
  labels: readonly string[];
  /** Task ids, dependencies first. */
  tasks: string[];
}

/**
 * Tasks in graph order: each after every task it depends on, ties broken by the given order (so the
 * result is stable). A dependency outside `tasks` is ignored. Pure.
 */
export function tasksInGraphOrder(tasks: readonly ClassedTask[]): string[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const done = new Set<string>();
  const onPath = new Set<string>();
  const order: string[] = [];
  const visit = (id: string) => {
    if (done.has(id)) return;
    if (onPath.has(id)) throw new RunnerClassError(`the task graph has a cycle through ${id}`);
    onPath.add(id);
    for (const d of byId.get(id)!.dependencies) if (byId.has(d)) visit(d);
    onPath.delete(id);
    done.add(id);
    order.push(id);
  };
  for (const t of tasks) visit(t.id);
  return order;
}

/** Tasks grouped by runner class, each group in graph order; every class is listed, an idle one with no tasks. Pure. */
export function groupTasksByClass(tasks: readonly ClassedTask[]): Record<RunnerClass, ClassPlan> {
  const classOf = new Map(tasks.map((t) => [t.id, t.runnerClass]));
  const order = tasksInGraphOrder(tasks);
  const groups = {} as Record<RunnerClass, ClassPlan>;
  for (const c of RUNNER_CLASS_NAMES) groups[c] = { labels: RUNNER_CLASSES[c], tasks: order.filter((id) => classOf.get(id) === c) };
  return groups;
}

/** A task as Nx's task graph gives it: its configured class is not checked yet. */
export interface UnclassedTask {
  id: string;
  project: string;
  target: string;
  runnerClass?: unknown;
  dependencies: readonly string[];
}

/** Each task with its checked runner class; throws naming the first task without a valid one. Pure. */
export function classifyTasks(tasks: readonly UnclassedTask[]): ClassedTask[] {
  return tasks.map((t) => ({
    id: t.id,
    runnerClass: runnerClassOf(t.project, t.target, { targets: { [t.target]: t.runnerClass === undefined ? {} : { metadata: { runnerClass: t.runnerClass } } } }),
    dependencies: t.dependencies,
  }));
}

/** The targets a class job runs (release runs in the publish job): everything a release gates on. */
export const BUILD_TARGETS: readonly string[] = ['build', 'test', 'verify', 'package'];

/**
 * The plan of the class jobs: the tasks of `projects` (the affected components) in Nx's task graph
 * of BUILD_TARGETS, grouped by class in graph order. Tasks of other projects in the graph (an
 * unaffected upstream's build) are cache hits, not work. Pure.
 */
export function planByClass(tasks: readonly UnclassedTask[], projects: readonly string[]): Record<RunnerClass, ClassPlan> {
  const selected = new Set(projects);
  const own = tasks.filter((t) => selected.has(t.project));
  const ids = new Set(own.map((t) => t.id));
  return groupTasksByClass(classifyTasks(own.map((t) => ({ ...t, dependencies: t.dependencies.filter((d) => ids.has(d)) }))));
}

/**
 * `<class>=true|false` for each class, whether it has tasks: the lines a plan job appends to
 * $GITHUB_OUTPUT so each class job's `if:` reads one output. Pure.
 */
export function classOutputs(classes: Readonly<Record<RunnerClass, ClassPlan>>): string[] {
  return RUNNER_CLASS_NAMES.map((c) => `${c}=${classes[c].tasks.length > 0}`);
}
