/**
 * Run one command and measure it: wall time, CPU time of its whole process tree (GNU time), the
 * peak memory of the orchestrator's own processes, and how much of the machine other work used
 * meanwhile (this bench may share its cores with other jobs; the figure says how much).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { loadAverage, machineCpu, startMemorySampler } from './proc';

export interface Measured {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Epoch ms when the command was started and when it ended (to line up with Nx's task timings). */
  startedAtMs: number;
  endedAtMs: number;
  /** user + system CPU of the command and every descendant it waited for. */
  cpuMs: number;
  /** Peak summed PSS of orchestrator processes (node, nx, git…), build tools excluded. */
  peakOrchestratorKb: number;
  /** Peak summed RSS of the same (counts shared pages once per process). */
  peakOrchestratorRssKb: number;
  peakProcessKb: number;
  peakProcess: string;
  /** CPU used by everything else on the machine, as a share of all cores over the wall time (0–1). */
  foreignLoad: number;
  loadAvgStart: number;
}

const TIME = '/usr/bin/time';

export async function measure(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'bllvm-bench-time-'));
  const timeFile = join(dir, 'time');
  try {
    const loadAvgStart = loadAverage();
    const cpu0 = machineCpu();
    const startedAtMs = Date.now();
    const started = performance.now();
    const child = execa(TIME, ['-f', '%e %U %S', '-o', timeFile, cmd, ...args], {
      cwd: opts.cwd,
      env: opts.env,
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      timeout: opts.timeoutMs,
      maxBuffer: 256 * 1024 * 1024,
    });
    const sampler = startMemorySampler(child.pid!);
    const r = await child;
    const wallMs = performance.now() - started;
    const endedAtMs = Date.now();
    const peak = sampler.stop();
    const cpu1 = machineCpu();
    const [, user, sys] = (await readFile(timeFile, 'utf8').catch(() => ''))
      .trim()
      .split('\n')
      .pop()!
      .split(' ')
      .map(Number) as [number, number, number];
    const cpuMs = ((user ?? 0) + (sys ?? 0)) * 1000;
    const machineBusy = cpu1.busyMs - cpu0.busyMs;
    const capacity = wallMs * cpus().length;
    return {
      command: [cmd, ...args].join(' '),
      exitCode: r.exitCode ?? (r.timedOut ? 124 : 1),
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? ''),
      wallMs,
      startedAtMs,
      endedAtMs,
      cpuMs,
      peakOrchestratorKb: peak.totalKb,
      peakOrchestratorRssKb: peak.rssKb,
      peakProcessKb: peak.maxProcessKb,
      peakProcess: peak.maxProcess,
      foreignLoad: capacity > 0 ? Math.min(1, Math.max(0, (machineBusy - cpuMs) / capacity)) : 0,
      loadAvgStart,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Several measurements taken as one (a serial pipeline of commands). */
export function combine(parts: Measured[]): Omit<Measured, 'stdout' | 'stderr' | 'command'> {
  const wallMs = parts.reduce((s, p) => s + p.wallMs, 0);
  return {
    exitCode: parts.find((p) => p.exitCode !== 0)?.exitCode ?? 0,
    wallMs,
    startedAtMs: parts[0]?.startedAtMs ?? 0,
    endedAtMs: parts.at(-1)?.endedAtMs ?? 0,
    cpuMs: parts.reduce((s, p) => s + p.cpuMs, 0),
    peakOrchestratorKb: Math.max(0, ...parts.map((p) => p.peakOrchestratorKb)),
    peakOrchestratorRssKb: Math.max(0, ...parts.map((p) => p.peakOrchestratorRssKb)),
    peakProcessKb: Math.max(0, ...parts.map((p) => p.peakProcessKb)),
    peakProcess: parts.reduce((a, p) => (p.peakProcessKb > a.kb ? { kb: p.peakProcessKb, name: p.peakProcess } : a), { kb: 0, name: '' }).name,
    foreignLoad: wallMs > 0 ? parts.reduce((s, p) => s + p.foreignLoad * p.wallMs, 0) / wallMs : 0,
    loadAvgStart: parts[0]?.loadAvgStart ?? Number.NaN,
  };
}
