import { describe, expect, it } from 'vitest';
import { cronProblem } from './cron';

describe('cronProblem', () => {
  it.each(['0 2 * * *', '*/15 * * * *', '0 0 1,15 * *', '30 4 * JAN-MAR mon-fri', '0-30/10 8-18 * * 1-5', '5/15 * * * *', '59 23 31 12 6'])('accepts %s', (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
  });

  it.each([
    ['61 2 * * *', 'minute field "61": 61 is outside 0-59'],
    ['0 24 * * *', 'hour field "24": 24 is outside 0-23'],
    ['0 2 0 * *', 'day of month field "0": 0 is outside 1-31'],
    ['0 2 * 13 *', 'month field "13": 13 is outside 1-12'],
    ['0 2 * * 7', 'day of week field "7": 7 is outside 0-6'],
    ['0 2 * *', 'has 4 fields; GitHub wants 5 (minute hour day-of-month month day-of-week)'],
    ['0 0 2 * * *', 'has 6 fields; GitHub wants 5 (minute hour day-of-month month day-of-week)'],
    ['*/0 * * * *', 'minute field "*/0": step 0 is outside 1-59'],
    ['0 18-8 * * *', 'hour field "18-8": range 18-8 runs backwards'],
    ['0 2 ? * *', 'day of month field "?": "?" is not a number'],
    ['0 2 * * FRI-MON', 'day of week field "FRI-MON": range FRI-MON runs backwards'],
    ['0 2 * * 1,,2', 'day of week field "1,,2": empty list item'],
    ['0 2 L * *', 'day of month field "L": "L" is not a number'],
    ['0 2 * foo *', 'month field "foo": "foo" is not a number or a name'],
  ])('rejects %s', (cron, problem) => {
    expect(cronProblem(cron)).toBe(problem);
  });
});
