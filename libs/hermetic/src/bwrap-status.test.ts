import { describe, expect, it } from 'vitest';
import { MAX_STATUS_BYTES, parseBwrapStatus, sandboxStarted } from './bwrap-status';

// As bwrap 0.8.0 writes them (one document a line).
const CLONED = '{ "child-pid": 10113, "cgroup-namespace": 4026532198, "ipc-namespace": 4026532196, "mnt-namespace": 4026532177, "net-namespace": 4026532200, "pid-namespace": 4026532197, "uts-namespace": 4026532192 }\n';
const EXITED = (code: number) => `{ "exit-code": ${code} }\n`;

describe('parseBwrapStatus', () => {
  it('reads the child pid and the exit code of what bwrap wrote', () => {
    expect(parseBwrapStatus(CLONED + EXITED(125))).toEqual({ childPid: 10113, exitCode: 125 });
    expect(parseBwrapStatus(CLONED + EXITED(0))).toEqual({ childPid: 10113, exitCode: 0 });
  });

  it('reads a setup that failed (a cloned child, no exit) and nothing at all as such', () => {
    expect(parseBwrapStatus(CLONED)).toEqual({ childPid: 10113 });
    expect(parseBwrapStatus('')).toEqual({});
  });

  it('ignores lines that are not its documents, and values that are not a pid or an exit status', () => {
    expect(parseBwrapStatus('bwrap: oops\n[1]\nnull\n{ "exit-code": 3\n')).toEqual({});
    expect(parseBwrapStatus('{ "child-pid": "12" }\n{ "child-pid": 0 }\n{ "child-pid": 1.5 }\n')).toEqual({});
    expect(parseBwrapStatus('{ "exit-code": -1 }\n{ "exit-code": 256 }\n{ "exit-code": "1" }\n{ "exit-code": null }\n')).toEqual({});
    expect(parseBwrapStatus('{ "__proto__": { "exit-code": 1 } }\n')).toEqual({});
  });

  it('keeps the first of each, and reads no further than its bound', () => {
    expect(parseBwrapStatus(CLONED + EXITED(1) + EXITED(0))).toEqual({ childPid: 10113, exitCode: 1 });
    expect(parseBwrapStatus(' '.repeat(MAX_STATUS_BYTES) + '\n' + EXITED(0))).toEqual({});
    const cut = CLONED + EXITED(0);
    expect(parseBwrapStatus(cut.slice(0, cut.length - 4))).toEqual({ childPid: 10113 });
  });
});

describe('sandboxStarted', () => {
  it('is yes once bwrap reported the command exit, whatever the code', () => {
    for (const code of [0, 1, 125, 255]) expect(sandboxStarted({ childPid: 7, exitCode: code }, { killed: false })).toBe(true);
  });

  it('is no when bwrap cloned the sandbox but its setup failed, or bwrap never ran (the launcher failed)', () => {
    expect(sandboxStarted({ childPid: 7 }, { killed: false })).toBe(false);
    expect(sandboxStarted({}, { killed: false })).toBe(false);
  });

  it('takes a killed bwrap that had cloned the sandbox as started (it reports no exit then), and one that had not as not', () => {
    expect(sandboxStarted({ childPid: 7 }, { killed: true })).toBe(true);
    expect(sandboxStarted({}, { killed: true })).toBe(false);
  });
});
