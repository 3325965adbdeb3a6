import { describe, expect, it } from 'vitest';
import { cgroupPlan, cpuUsageMs } from './cgroup-plan';

const V1_MOUNTS = [
  '30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct',
  '34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
].join('\n');
const V1_SELF = ['8:pids:/', '4:memory:/job/7', '2:cpuacct:/', '1:cpu:/', '0::/'].join('\n');

describe('cgroupPlan', () => {
  it('takes v1 pids, memory and cpuacct where they are mounted', () => {
    expect(cgroupPlan(V1_SELF, V1_MOUNTS)).toEqual({ version: 1, pids: '/sys/fs/cgroup/pids', memory: '/sys/fs/cgroup/memory/job/7', cpuacct: '/sys/fs/cgroup/cpuacct' });
  });

  it('finds cpuacct mounted together with cpu, and does without it when it is not mounted', () => {
    const joint = V1_MOUNTS.replace('/sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct', '/sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct');
    expect(cgroupPlan(V1_SELF.replace('2:cpuacct:/', '2:cpu,cpuacct:/a'), joint)).toMatchObject({ version: 1, cpuacct: '/sys/fs/cgroup/cpu,cpuacct/a' });
    const none = V1_MOUNTS.split('\n').filter((l) => !l.includes('cpuacct')).join('\n');
    expect(cgroupPlan(V1_SELF, none)).toEqual({ version: 1, pids: '/sys/fs/cgroup/pids', memory: '/sys/fs/cgroup/memory/job/7' });
  });

  it('takes v2 when the v1 controllers are missing, and says why when neither is there', () => {
    expect(cgroupPlan('0::/user.slice/x', '40 22 0:40 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw')).toEqual({ version: 2, dir: '/sys/fs/cgroup/user.slice/x' });
    expect(cgroupPlan('0::/', '')).toMatchObject({ reason: expect.stringMatching(/neither cgroup v2 nor/) });
  });
});

describe('cpuUsageMs', () => {
  it('reads v1 nanoseconds and v2 microseconds', () => {
    expect(cpuUsageMs(1, '1500000000\n')).toBe(1500);
    expect(cpuUsageMs(2, 'usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n')).toBe(2500);
  });

  it('says nothing rather than a wrong figure for an unreadable file', () => {
    expect(cpuUsageMs(1, '')).toBeUndefined();
    expect(cpuUsageMs(2, 'user_usec 1\n')).toBeUndefined();
  });
});
