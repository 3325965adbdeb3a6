/** The shape of dist/bench/results.json. */
import type { CriticalPath } from './critical-path';
import type { RunDecomposition } from './decompose';
import type { Machine } from './machine';
import type { BenchProfile } from './pipeline-profile';
import type { TaskAnatomy } from './harness';
import type { StepProfile } from './profile-steps';
import type { ScopeRow } from './scope';
import type { Stat } from './stats';

export interface RunStats {
  /** Wall time of the whole command (ours: the CLI process; baseline: first nx run start to last end). */
  wallMs: Stat;
  /** user+sys CPU of the process tree. */
  cpuMs: Stat;
  /** Share of the machine other work used meanwhile (0–1). */
  foreignLoad: Stat;
}

export interface TargetCheck {
  name: string;
  target: string;
  value: string;
  met: boolean;
}

export interface BenchResults {
  schema: 1;
  generatedAt: string;
  benchWallMs: number;
  machine: Machine;
  config: {
    /** The sandbox stack measured (absent in results written before the option: the seed). */
    profile?: BenchProfile;
    size: number;
    sizes: Record<string, number>;
    reps: number;
    quick: boolean;
    nxParallel: number | undefined;
    targets: string[];
    configuration: string;
    orchestratorCommit: string;
  };
  taskGraph: Record<string, string[]>;
  /** Each task run alone, cold (and marginal: only its own crate recompiled). */
  perTask: Record<string, { coldMs: Stat; marginalMs?: Stat; toolMs: Stat; nxRunWallMs: Stat; cpuMs: Stat }>;
  criticalPath: {
    /** Longest path, each task weighted by its cold-alone executor time (what our executors really do). */
    cold: CriticalPath;
    /** Longest path with marginal weights (each crate compiled once; what a shared-upstream design could do). */
    marginal: CriticalPath;
    /** Sum of cold-alone times: one worker, one task at a time. */
    serialSumMs: number;
    /** Sum of CPU time of the cold-alone runs. */
    cpuSumMs: number;
    /** max(critical path, CPU sum ÷ cores): no schedule on this machine can beat it. */
    capacityBoundMs: number;
  };
  coldNightly: {
    ours: RunStats & { runManyMs: Stat };
    /** Ours' cold wall time split along the cold critical path (medians of each part). */
    decomposition: Record<keyof RunDecomposition, Stat>;
    /** max(critical path, CPU sum ÷ (cores × share of the machine not used by others during ours)). */
    loadAdjustedBoundMs: number;
    oursOverLoadAdjustedBound: number;
    baseline: RunStats;
    oursOverCriticalPath: number;
    oursOverCapacityBound: number;
    /** CPU of the cargo/docker processes in ours' cold runs (image builds run in podman's service and are not in it). */
    toolCpuMs?: Stat;
    /** max(critical path, that CPU ÷ cores): the compilers' own work on this machine, before any orchestration. */
    compilerBoundMs?: number;
    oursOverCompilerBound?: number;
    oursOverMarginalCriticalPath: number;
    oursOverBaseline: number;
    oursOverSerialSum: number;
    baselineTasks: string[];
  };
  /** Single-sample variants that size proposed fixes. */
  whatIf: {
    coldParallel2?: RunStats & { oursDefault: Stat };
  };
  events: {
    component: string;
    ours: RunStats;
    /** CLI start → first Nx task start: tsx, nx show projects --affected, planning the task graph, Nx start. */
    oursBeforeFirstTaskMs: Stat;
    baseline: RunStats;
    oursOverBaseline: number;
    oursTasksBuilt: string[];
    baselineTasks: string[];
  }[];
  scope: (ScopeRow & { oursConsistentAcrossReps: boolean })[];
  noop: {
    build: { wallMs: Stat; invocations: number[]; hashingCalls: number[] };
    nightly: { wallMs: Stat; invocations: number[]; hashingCalls: number[]; output: string };
  };
  overhead: {
    /** Executor time (its task record: startedAt → endedAt) − toolMs of every built task: its own steps outside cargo/docker. */
    executorPerTaskMs: Stat;
    executorPerTaskByTarget: Record<string, Stat>;
    /** Nx's task duration (NX_PROFILE) − executor duration: process start, TS loading, hashing, cache writes. */
    nxPerTaskMs: Stat;
    /** Per built task, total outside cargo/docker: Nx's task duration − toolMs. */
    totalPerTaskMs: Stat;
    /** run-many wall − critical path of the run's own executor durations. */
    nxRunOverheadMs: Stat;
    /** CLI process wall − run-many wall (tsx start, nx show projects --affected, planning the task graph). */
    cliOverheadMs: Stat;
    /** `bllvm-release plan --base <ref> --json`, whole process. */
    planMs: Stat;
    /** `nx show projects --affected`, whole process. */
    affectedMs: Stat;
    startup: Record<string, Stat>;
    steps: StepProfile[];
    /** The task dissected below (absent before the profiles: bllvm-consensus:build). */
    taskAnatomyTask?: string;
    /** Where one Nx task process spends its life (taskAnatomyTask, warm target dir). */
    taskAnatomy: Record<keyof TaskAnatomy, Stat>;
  };
  memory: {
    /** Peak of the summed PSS of the orchestrator's processes. */
    peakOrchestratorMb: number;
    /** Peak of the summed RSS of the same (shared pages counted per process). */
    peakOrchestratorRssMb: number;
    peakProcessMb: number;
    peakProcess: string;
    byRun: Record<string, number>;
  };
  contention: { foreignLoad: Stat; loadAvgStart: Stat };
  targets: TargetCheck[];
}
