/**
 * Reading /proc: the memory of the orchestrator's own processes (node, nx, git, …) while it runs,
 * excluding the build tools it drives and everything under them, and the machine's CPU use so a
 * measurement can say how busy the machine was with other work.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** Tools whose processes (and descendants) are not the orchestrator's. */
export const EXCLUDED_COMMANDS = /^(cargo|rustc|rustdoc|cc|c\+\+|gcc|ld|ld\.\w+|collect2|as|docker|podman|conmon|crun|runc|buildah|build-script-.*)$/;

interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
  rssKb: number;
}

const PAGE_KB = 4;

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may contain spaces or parentheses: split at the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const rest = stat.slice(close + 2).split(' ');
    // rest[0] = state, rest[1] = ppid, …, rest[21] = rss (pages): fields 3, 4 and 24 of proc(5).
    return { pid, ppid: Number(rest[1]), comm, rssKb: Number(rest[21]) * PAGE_KB };
  } catch {
    return undefined;
  }
}

function allProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p) out.push(p);
  }
  return out;
}

export interface MemorySample {
  /** Sum of PSS (proportional set size: shared pages split between the processes sharing them) of the orchestrator's processes. */
  totalKb: number;
  /** Sum of RSS of the same processes (an over-estimate: shared pages count once per process). */
  rssKb: number;
  /** The largest single orchestrator process. */
  maxProcessKb: number;
  maxProcess: string;
  processes: number;
}

/** One sample of the tree under `root`, excluding build tools and their descendants. */
export function sampleTree(root: number): MemorySample {
  const procs = allProcs();
  const children = new Map<number, ProcInfo[]>();
  for (const p of procs) {
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const rootInfo = procs.find((p) => p.pid === root);
  const sample: MemorySample = { totalKb: 0, rssKb: 0, maxProcessKb: 0, maxProcess: '', processes: 0 };
  if (!rootInfo) return sample;
  const stack = [rootInfo];
  while (stack.length) {
    const p = stack.pop()!;
    if (EXCLUDED_COMMANDS.test(p.comm)) continue;
    const pss = pssKb(p.pid) ?? p.rssKb;
    sample.totalKb += pss;
    sample.rssKb += p.rssKb;
    sample.processes++;
    if (pss > sample.maxProcessKb) [sample.maxProcessKb, sample.maxProcess] = [pss, p.comm];
    stack.push(...(children.get(p.pid) ?? []));
  }
  return sample;
}

function pssKb(pid: number): number | undefined {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process tree every `intervalMs` until stopped; returns the peaks. */
export function startMemorySampler(root: number, intervalMs = 150): { stop(): MemorySample } {
  const peak: MemorySample = { totalKb: 0, rssKb: 0, maxProcessKb: 0, maxProcess: '', processes: 0 };
  const take = () => {
    const s = sampleTree(root);
    if (s.totalKb > peak.totalKb) [peak.totalKb, peak.processes] = [s.totalKb, s.processes];
    if (s.rssKb > peak.rssKb) peak.rssKb = s.rssKb;
    if (s.maxProcessKb > peak.maxProcessKb) [peak.maxProcessKb, peak.maxProcess] = [s.maxProcessKb, s.maxProcess];
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** Busy and total CPU time of the whole machine so far, in milliseconds (all cores). */
export function machineCpu(): { busyMs: number; totalMs: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice; guests are already in user.
  const [user, nice, system, idle, iowait, irq, softirq, steal] = v as [number, number, number, number, number, number, number, number];
  const ticks = 100; // USER_HZ on Linux
  const busy = user + nice + system + irq + softirq + steal;
  const total = busy + idle + iowait;
  return { busyMs: (busy * 1000) / ticks, totalMs: (total * 1000) / ticks };
}

export function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}
