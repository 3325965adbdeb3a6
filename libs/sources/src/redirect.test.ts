import { describe, expect, it } from 'vitest';
import { redirectTarget } from './redirect';

describe('redirectTarget: the repository git was redirected to', () => {
  const base = 'https://github.com/';

  it('reads the owner/name of the redirect under the base URL, with or without .git and the trailing slash', () => {
    expect(redirectTarget(base, 'warning: redirecting to https://github.com/BTCDecoded/blvm-node.git/')).toBe('BTCDecoded/blvm-node');
    expect(redirectTarget(base, 'some line\nwarning: redirecting to https://github.com/BTCDecoded/blvm/\nmore')).toBe('BTCDecoded/blvm');
  });

  it('matches a base URL carrying credentials (git removes them from what it prints)', () => {
    expect(redirectTarget('https://x-access-token:secret@github.com/', 'warning: redirecting to https://github.com/BTCDecoded/blvm-sdk.git/')).toBe('BTCDecoded/blvm-sdk');
    expect(redirectTarget('http://127.0.0.1:8080/git/', 'warning: redirecting to http://127.0.0.1:8080/git/Org/new.git/')).toBe('Org/new');
  });

  it('is undefined without a redirect, for one to another host or path, or to something that is no owner/name', () => {
    expect(redirectTarget(base, '')).toBeUndefined();
    expect(redirectTarget(base, 'warning: something else')).toBeUndefined();
    expect(redirectTarget(base, 'warning: redirecting to https://gitlab.com/BTCDecoded/blvm-node.git/')).toBeUndefined();
    expect(redirectTarget(base, 'warning: redirecting to https://github.com/BTCDecoded/sub/blvm-node.git/')).toBeUndefined();
    expect(redirectTarget(base, 'warning: redirecting to https://github.com/BTCDecoded/..')).toBeUndefined();
    expect(redirectTarget('not a url', 'warning: redirecting to https://github.com/a/b.git/')).toBeUndefined();
  });
});
