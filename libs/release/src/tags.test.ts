import { afterEach, describe, expect, it } from 'vitest';
import { isNightlyTag, isReleaseTag, nightlyTag, parseTag, releaseSetTag, releaseTag, requireTag } from './tags';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('nightlyTag', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('uses the UTC day and the first 7 hex of the sha', () => {
    expect(nightlyTag(new Date('2026-11-27T12:00:00Z'), SHA)).toBe('nightly-20261127-0123456');
  });

  it('accepts a 7-char sha as is', () => {
    expect(nightlyTag(new Date('2026-01-05T00:00:00Z'), 'abcdef0')).toBe('nightly-20260105-abcdef0');
  });

  it.each([
    // Late evening west of UTC is already tomorrow in UTC.
    ['2026-11-27T23:30:00-05:00', 'nightly-20261128-0123456'],
    // Just after midnight east of UTC is still yesterday in UTC.
    ['2026-11-28T00:30:00+02:00', 'nightly-20261127-0123456'],
    ['2026-11-27T23:59:59.999Z', 'nightly-20261127-0123456'],
    ['2026-11-28T00:00:00.000Z', 'nightly-20261128-0123456'],
    ['2027-01-01T00:59:59+01:00', 'nightly-20261231-0123456'],
    ['2028-02-29T10:00:00Z', 'nightly-20280229-0123456'],
  ])('%s → %s', (iso, tag) => {
    expect(nightlyTag(new Date(iso), SHA)).toBe(tag);
  });

  it('does not depend on the process time zone', () => {
    const at = new Date('2026-11-27T23:30:00Z');
    for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles', 'UTC', 'Asia/Kolkata']) {
      process.env.TZ = tz;
      expect(nightlyTag(at, SHA)).toBe('nightly-20261127-0123456');
    }
    // Proves the zone really changed in-process, so the loop above tested something.
    process.env.TZ = 'Pacific/Kiritimati';
    expect(at.getDate()).toBe(28);
  });

  it.each([
    ['too short', 'abc1234'.slice(0, 6)],
    ['uppercase', 'ABCDEF0'],
    ['non-hex', 'xyz1234'],
    ['41 chars', SHA + 'a'],
    ['empty', ''],
    ['leading dash', '-abcdef0'],
    ['with a newline', 'abcdef0\n'],
  ])('rejects a sha that is %s', (_what, sha) => {
    expect(() => nightlyTag(new Date('2026-11-27T00:00:00Z'), sha)).toThrow(/orchestrator sha/);
  });

  it('rejects an invalid date', () => {
    expect(() => nightlyTag(new Date('not a date'), SHA)).toThrow(/invalid date/);
  });

  it('rejects a year that does not fit YYYY', () => {
    expect(() => nightlyTag(new Date(Date.UTC(10000, 0, 1)), SHA)).toThrow(/YYYY/);
  });
});

describe('releaseTag', () => {
  it.each([
    ['1.2.3', 'v1.2.3'],
    ['0.0.0', 'v0.0.0'],
    ['0.1.0', 'v0.1.0'],
    ['10.20.300', 'v10.20.300'],
  ])('%s → %s', (version, tag) => {
    expect(releaseTag(version)).toBe(tag);
  });

  it.each(['1.2', 'v1.2.3', '01.2.3', '1.02.3', '1.2.03', '1.2.3.4', '1.2.3-rc.1', '1.2.3+build', ' 1.2.3', '1.2.3\n', '', '1.2.x', '-1.2.3', '1..3'])(
    'rejects %j',
    (version) => {
      expect(() => releaseTag(version)).toThrow(/X\.Y\.Z/);
    },
  );
});

describe('parseTag', () => {
  it('parses nightly tags', () => {
    expect(parseTag('nightly-20261127-0123456')).toEqual({ kind: 'nightly', date: '2026-11-27', sha: '0123456' });
  });

  it('parses release tags', () => {
    expect(parseTag('v1.2.3')).toEqual({ kind: 'release', version: '1.2.3' });
    expect(parseTag('v0.0.0')).toEqual({ kind: 'release', version: '0.0.0' });
  });

  it('round-trips what the builders produce', () => {
    const tag = nightlyTag(new Date('2026-02-28T23:59:59Z'), SHA);
    expect(parseTag(tag)).toEqual({ kind: 'nightly', date: '2026-02-28', sha: SHA.slice(0, 7) });
    expect(parseTag(releaseTag('3.14.159'))).toEqual({ kind: 'release', version: '3.14.159' });
  });

  it.each([
    'nightly-20260231-0123456', // no 31 February
    'nightly-20261301-0123456',
    'nightly-20261100-0123456',
    'nightly-2026112-0123456',
    'nightly-20261127-ABCDEF0',
    'nightly-20261127-012345',
    'nightly-20261127-01234567',
    'nightly-20261127-0123456-extra',
    'Nightly-20261127-0123456',
    'v1.2',
    'v01.2.3',
    'v1.2.3.4',
    '1.2.3',
    'V1.2.3',
    'v1.2.3 ',
    'latest',
    '',
  ])('rejects %j', (tag) => {
    expect(parseTag(tag)).toBeNull();
  });

  it('classifies tags', () => {
    expect(isNightlyTag('nightly-20261127-0123456')).toBe(true);
    expect(isNightlyTag('v1.2.3')).toBe(false);
    expect(isNightlyTag('nightly-20260231-0123456')).toBe(false);
    expect(isReleaseTag('v1.2.3')).toBe(true);
    expect(isReleaseTag('nightly-20261127-0123456')).toBe(false);
  });

  it('requireTag names the bad tag', () => {
    expect(() => requireTag('v1.2')).toThrow(/"v1\.2"/);
  });
});

describe('releaseSetTag', () => {
  it('takes the highest version numerically, not as text', () => {
    expect(releaseSetTag(['0.1.0', '0.10.0', '0.9.9'])).toBe('v0.10.0');
    expect(releaseSetTag(['0.1.0'])).toBe('v0.1.0');
  });
  it('rejects an empty set or a bad version', () => {
    expect(() => releaseSetTag([])).toThrow(/no versions/);
    expect(() => releaseSetTag(['0.1'])).toThrow(/"0\.1" is not X\.Y\.Z/);
  });
});
