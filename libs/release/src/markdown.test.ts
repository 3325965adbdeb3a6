import { describe, expect, it } from 'vitest';
import { commitLink, compareUrl, escapeMarkdownText } from './markdown';

describe('escapeMarkdownText', () => {
  it('leaves ordinary subjects readable', () => {
    expect(escapeMarkdownText('Add BIP-158 filters, v0.2.0')).toBe('Add BIP-158 filters, v0.2.0');
  });

  it('turns HTML into text', () => {
    const out = escapeMarkdownText('<script>alert(1)</script> & <img src=x onerror=alert(1)>');
    expect(out).not.toMatch(/</);
    expect(out).not.toMatch(/>/);
    expect(out).toBe('&lt;script&gt;alert\\(1\\)&lt;/script&gt; &amp; &lt;img src=x onerror=alert\\(1\\)&gt;');
  });

  it('keeps entities from smuggling markup back in', () => {
    expect(escapeMarkdownText('&#60;script&#62;')).toBe('&amp;\\#60;script&amp;\\#62;');
  });

  it('defuses links, images and autolinks', () => {
    const out = escapeMarkdownText('[x](javascript:alert(1)) ![i](http://e/x.png) <https://evil>');
    expect(out).not.toMatch(/\]\(/);
    expect(out).not.toMatch(/(?<!\\)\[/);
    expect(out).not.toMatch(/javascript:/);
    expect(out).toContain('\\[x\\]\\(javascript\\:alert\\(1\\)\\)');
  });

  it('cannot break a table row or a list item', () => {
    const out = escapeMarkdownText('a | b\n- c\r\n\u2028# d\u0000e');
    expect(out).not.toMatch(/[\n\r\u2028\u0000]/);
    expect(out).not.toMatch(/(?<!\\)\|/);
    expect(out).toBe('a \\| b - c \\# d e');
  });

  it('escapes emphasis, code and backslashes', () => {
    expect(escapeMarkdownText('*b* _i_ ~s~ `c` \\')).toBe('\\*b\\* \\_i\\_ \\~s\\~ \\`c\\` \\\\');
  });

  it('removes bidi overrides and zero-width characters', () => {
    expect(escapeMarkdownText('safe\u202etxt.exe\u200b')).toBe('safetxt.exe');
  });

  it('caps length before escaping, so an escape is never cut in half', () => {
    const out = escapeMarkdownText('<'.repeat(500), { maxLength: 10 });
    expect(out).toBe(`${'&lt;'.repeat(9)}…`);
    expect(Array.from(escapeMarkdownText('é'.repeat(300))).length).toBe(200);
  });

  it('keeps @mentions from notifying people', () => {
    expect(escapeMarkdownText('thanks @octocat and @some-org/team')).toBe('thanks `@octocat` and `@some-org`/team');
    expect(escapeMarkdownText('mail me: dev@example.com')).toBe('mail me\\: dev@example.com');
  });

  it('links #123 to the repository the commit came from', () => {
    expect(escapeMarkdownText('Fix overflow (#123)', { repository: 'BTCDecoded/bllvm-node' })).toBe(
      'Fix overflow \\([BTCDecoded/bllvm-node#123](https://github.com/BTCDecoded/bllvm-node/issues/123)\\)',
    );
    expect(escapeMarkdownText('Fix (#123)')).toBe('Fix \\(\\#123\\)');
    expect(escapeMarkdownText('x#1 #12ab', { repository: 'o/r' })).toBe('x\\#1 \\#12ab');
    expect(escapeMarkdownText('#1', { repository: 'o/r) [x](javascript:y' })).toBe('\\#1');
  });
});

describe('links', () => {
  it('builds commit and compare URLs', () => {
    const sha = 'abcdef0123456789abcdef0123456789abcdef01';
    expect(commitLink('BTCDecoded/bllvm', sha)).toBe(`[\`abcdef0\`](https://github.com/BTCDecoded/bllvm/commit/${sha})`);
    expect(compareUrl('BTCDecoded/bllvm', 'a', 'b')).toBe('https://github.com/BTCDecoded/bllvm/compare/a...b');
  });
});
