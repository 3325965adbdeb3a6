import { posix } from 'node:path';

/**
 * Where this process's own control groups are, for the two controllers a task's limits need
 * (pids and memory): cgroup v2's one hierarchy, or v1's separate pids and memory hierarchies,
 * with v1's cpuacct when mounted (v2 counts CPU in every group: its cpu.stat).
 * A task's cgroup is made inside ours, so it stays within whatever limits we run under.
 */
export type CgroupPlan = { version: 2; dir: string } | { version: 1; pids: string; memory: string; cpuacct?: string };

interface MountEntry {
  root: string;
  mountPoint: string;
  fsType: string;
  superOptions: string[];
}

/** /proc/self/mountinfo's cgroup mounts. Pure. */
function cgroupMounts(mountinfo: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const f = left.split(' ');
    const [fsType, , options] = right.split(' ');
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') continue;
    out.push({ root: unescape(f[3] ?? '/'), mountPoint: unescape(f[4] ?? ''), fsType, superOptions: (options ?? '').split(',') });
  }
  return out;
}

/** mountinfo escapes spaces and the like as \040. */
const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Our folder in a hierarchy mounted at `m`, given our path in it from /proc/self/cgroup. Pure. */
function ownDir(m: MountEntry, path: string): string | undefined {
  const rel = posix.relative(m.root, path);
  if (rel.startsWith('..')) return undefined;
  return posix.join(m.mountPoint, rel);
}

/**
 * The plan from /proc/self/cgroup and /proc/self/mountinfo, or why there is none. v1's pids and
 * memory controllers are preferred when both are mounted (a v2 hierarchy beside them then holds no
 * controllers); otherwise v2. Pure.
 */
export function cgroupPlan(procCgroup: string, mountinfo: string): CgroupPlan | { reason: string } {
  const mounts = cgroupMounts(mountinfo);
  const paths = new Map<string, string>();
  let unified: string | undefined;
  for (const line of procCgroup.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === '0' && m[2] === '') unified = m[3];
    else for (const c of m[2]!.split(',')) paths.set(c, m[3]!);
  }
  const v1 = (controller: string) => {
    const mount = mounts.find((e) => e.fsType === 'cgroup' && e.superOptions.includes(controller));
    const path = paths.get(controller);
    return mount && path !== undefined ? ownDir(mount, path) : undefined;
  };
  const pids = v1('pids');
  const memory = v1('memory');
  const cpuacct = v1('cpuacct');
  if (pids && memory) return { version: 1, pids, memory, ...(cpuacct ? { cpuacct } : {}) };
  const v2 = mounts.find((e) => e.fsType === 'cgroup2');
  if (v2 && unified !== undefined) {
    const dir = ownDir(v2, unified);
    if (dir) return { version: 2, dir };
  }
  return { reason: 'neither cgroup v2 nor the v1 pids and memory controllers are mounted where this process can see them' };
}

/** CPU time in ms from v1's cpuacct.usage (ns) or v2's cpu.stat (usage_usec); undefined when unreadable. Pure. */
export function cpuUsageMs(version: 1 | 2, text: string): number | undefined {
  if (version === 1) return /^\d+\s*$/.test(text) ? Number(text.trim()) / 1e6 : undefined;
  const m = /^usage_usec (\d+)$/m.exec(text);
  return m ? Number(m[1]) / 1e3 : undefined;
}

/** A count from a flat keyed cgroup file ("max 3\noom_kill 1"), 0 when absent. Pure. */
export function keyedCount(text: string, key: string): number {
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k === key) return Number(v) || 0;
  }
  return 0;
}
