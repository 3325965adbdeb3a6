import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CgroupPlan, cgroupPlan, cpuUsageMs, keyedCount } from './cgroup-plan';
import type { LimitKind, SandboxLimits } from './limits';

export class CgroupUnavailableError extends Error {}

let plan: Promise<CgroupPlan> | undefined;

/** This process's cgroup folders (read once per process), or a clear error when limits cannot be applied here. */
function ownCgroups(): Promise<CgroupPlan> {
  plan ??= (async () => {
    const [self, mountinfo] = await Promise.all([readFile('/proc/self/cgroup', 'utf8'), readFile('/proc/self/mountinfo', 'utf8')]);
    const p = cgroupPlan(self, mountinfo);
    if ('reason' in p) throw new CgroupUnavailableError(`the build sandbox cannot limit a task's processes and memory here: ${p.reason}`);
    return p;
  })();
  return plan;
}

/**
 * One task's control group: the pids and memory limits every process of the task shares, a way
 * to tell afterwards which limit was hit, and a way to end every process of the task (a build
 * script's daemon included) before its outputs are read.
 */
export class TaskCgroup {
  private constructor(
    private readonly version: 1 | 2,
    /** Folders of this task's group: one for v2; pids, memory and (when mounted) cpuacct for v1. */
    private readonly dirs: string[],
  ) {}

  private get pidsDir(): string {
    return this.dirs[0]!;
  }

  private get memoryDir(): string {
    return this.dirs[this.version === 2 ? 0 : 1]!;
  }

  /** Where the group's CPU time is counted: v2's one folder, v1's cpuacct folder (absent when not mounted). */
  private get cpuDir(): string | undefined {
    return this.version === 2 ? this.dirs[0] : this.dirs[2];
  }

  /** Make the group inside ours and set its limits. */
  static async create(limits: Pick<SandboxLimits, 'processes' | 'memoryMiB'>): Promise<TaskCgroup> {
    const own = await ownCgroups();
    const name = `bllvm-task-${process.pid}-${randomBytes(4).toString('hex')}`;
    const bytes = String(limits.memoryMiB * 1024 * 1024);
    try {
      if (own.version === 2) {
        const dir = join(own.dir, name);
        await mkdir(dir);
        const group = new TaskCgroup(2, [dir]);
        try {
          await writeFile(join(dir, 'pids.max'), String(limits.processes));
          await writeFile(join(dir, 'memory.max'), bytes);
          await writeFile(join(dir, 'memory.swap.max'), '0').catch(() => undefined);
        } catch (e) {
          await group.remove();
          throw new CgroupUnavailableError(`the pids and memory controllers are not enabled for ${own.dir} (add them to its parent's cgroup.subtree_control): ${(e as Error).message}`);
        }
        return group;
      }
      const pids = join(own.pids, name);
      const memory = join(own.memory, name);
      await mkdir(pids);
      const group = new TaskCgroup(1, [pids]);
      await mkdir(memory);
      group.dirs.push(memory);
      await writeFile(join(pids, 'pids.max'), String(limits.processes));
      await writeFile(join(memory, 'memory.limit_in_bytes'), bytes);
      // No limit, only a count: the CPU the task's processes used, reaped or not.
      if (own.cpuacct) {
        const cpuacct = join(own.cpuacct, name);
        await mkdir(cpuacct);
        group.dirs.push(cpuacct);
      }
      return group;
    } catch (e) {
      if (e instanceof CgroupUnavailableError) throw e;
      throw new CgroupUnavailableError(`the build sandbox cannot make a control group for a task's limits: ${(e as Error).message} (the orchestrator must run as root, or in a cgroup delegated to it)`);
    }
  }

  /** The cgroup.procs files a process writes its pid into to join the group (before it starts the sandbox). */
  get procsFiles(): string[] {
    return this.dirs.map((d) => join(d, 'cgroup.procs'));
  }

  /** Which limit the group hit, if any: the kernel counts refused forks and OOM kills. */
  async limitHit(): Promise<LimitKind | undefined> {
    const read = (dir: string, file: string) => readFile(join(dir, file), 'utf8').catch(() => '');
    if (keyedCount(await read(this.memoryDir, this.version === 2 ? 'memory.events' : 'memory.oom_control'), 'oom_kill') > 0) return 'memory';
    if (keyedCount(await read(this.pidsDir, 'pids.events'), 'max') > 0) return 'process';
    return undefined;
  }

  /**
   * CPU time (user + system, ms) of every process that was in the group, counted by the kernel: it
   * includes processes nobody waited for (bubblewrap's init reaps the command, and the rusage of a
   * process tree never reaches the process that started bwrap). Undefined where it is not counted.
   */
  async cpuMs(): Promise<number | undefined> {
    const dir = this.cpuDir;
    if (!dir) return undefined;
    const text = await readFile(join(dir, this.version === 2 ? 'cpu.stat' : 'cpuacct.usage'), 'utf8').catch(() => '');
    return cpuUsageMs(this.version, text);
  }

  /** The pids of every process still in the group. */
  async members(): Promise<number[]> {
    const text = await readFile(this.procsFiles[0]!, 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean).map(Number);
  }

  /**
   * End every process of the group and wait until none is left: what a sandbox wrote is read
   * only once nothing of it can still change it.
   */
  async killAll(): Promise<void> {
    for (let round = 0; round < 200; round++) {
      const pids = await this.members();
      if (pids.length === 0) return;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await new Promise((r) => setTimeout(r, round < 10 ? 10 : 50));
    }
    throw new Error(`processes of a sandboxed task did not end: ${(await this.members()).join(', ')}`);
  }

  /** Kill what is left and remove the group's folders. */
  async remove(): Promise<void> {
    await this.killAll().catch(() => undefined);
    for (const dir of [...this.dirs].reverse()) await rmdir(dir).catch(() => undefined);
  }
}
