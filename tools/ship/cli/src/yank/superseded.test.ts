import { describe, expect, it } from 'vitest';
import { MAX_RELEASE_BODY, supersededRelease } from './superseded';

describe('supersededRelease', () => {
  it('names it superseded, puts the note first and makes it a pre-release', () => {
    expect(supersededRelease({ tag: 'v0.2.0', name: 'v0.2.0', body: '# bllvm v0.2.0\n' }, 'v0.1.0')).toEqual({
      name: 'v0.2.0 (superseded)',
      body: '> **Superseded.** The crates of v0.2.0 were yanked from the registry; use v0.1.0 instead.\n\n# bllvm v0.2.0\n',
      prerelease: true,
    });
  });

  it('is idempotent: a marked release stays as it is', () => {
    const once = supersededRelease({ tag: 'v0.2.0', name: null, body: null }, undefined);
    expect(once.name).toBe('v0.2.0 (superseded)');
    expect(once.body).toBe('> **Superseded.** The crates of v0.2.0 were yanked from the registry; no earlier release to use instead.\n\n');
    expect(supersededRelease({ tag: 'v0.2.0', ...once }, 'v0.1.0')).toEqual(once);
  });

  it('stays within GitHub\'s body limit', () => {
    const r = supersededRelease({ tag: 'v0.2.0', name: 'v0.2.0', body: 'x'.repeat(MAX_RELEASE_BODY) }, 'v0.1.0');
    expect(r.body.length).toBeLessThanOrEqual(MAX_RELEASE_BODY);
    expect(r.body.endsWith('\n…')).toBe(true);
  });
});
