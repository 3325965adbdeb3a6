import { describe, expect, it } from 'vitest';
import { parseTaskRecord } from './parse-task-record';

const FILE = '.nx/task-records/bllvm/release.json';
const valid = {
  task: 'bllvm:release',
  success: false,
  toolMs: 0,
  message: 'the deploy signal failed',
  publish: { tag: 'v1.2.0', published: true, url: 'https://github.com/o/r/releases/tag/v1.2.0', deploy: 'failed' },
  startedAt: 1_700_000_000_000,
  endedAt: 1_700_000_001_000,
};

describe('parseTaskRecord', () => {
  it('returns a valid record with only the fields it knows', () => {
    expect(parseTaskRecord({ ...valid, extra: 'ignored' }, FILE)).toEqual(valid);
    const { message: _m, publish: _p, ...plain } = valid;
    expect(parseTaskRecord(plain, FILE)).toEqual(plain);
  });

  it('names the file and every wrong field at once', () => {
    const bad = { ...valid, success: 'false', toolMs: -1, endedAt: 'soon', publish: { tag: '', published: 'yes', deploy: 'maybe' } };
    expect(() => parseTaskRecord(bad, FILE)).toThrow(
      [
        `${FILE}: success: must be true or false, found string`,
        `${FILE}: toolMs: -1 is not a number of milliseconds`,
        `${FILE}: publish.tag: must not be empty`,
        `${FILE}: publish.published: must be true or false, found string`,
        `${FILE}: publish.deploy: "maybe" is not one of "sent", "failed", "none"`,
        `${FILE}: endedAt: "soon" is not a number of milliseconds`,
      ].join('\n'),
    );
  });

  it('refuses what is not an object, and a missing field', () => {
    expect(() => parseTaskRecord([], FILE)).toThrow(`${FILE}: record: must be an object, found array`);
    const { task: _t, ...noTask } = valid;
    expect(() => parseTaskRecord(noTask, FILE)).toThrow(`${FILE}: task: must be a string, found undefined`);
    expect(() => parseTaskRecord({ ...valid, publish: 'yes' }, FILE)).toThrow(`${FILE}: publish: must be an object, found string`);
  });
});
