import { describe, expect, it } from 'vitest';
import { TomlScanError, valueSpans } from './toml-spans';

const at = (text: string) => Object.fromEntries(valueSpans(text).map((s) => [JSON.stringify(s.path), text.slice(s.start, s.end)]));

describe('valueSpans', () => {
  it('finds each value under its full path: headers, dotted keys, inline tables, arrays', () => {
    const text = [
      '# top',
      'title = "x" # trailing',
      '[ target . \'cfg(unix)\' . "dependencies" ]',
      'a = { version = "0.1", features = ["f", \'g\'] }',
      'b.version = \'=0.1.2\'',
      '[[bin]]',
      'name = "one"',
      '[[bin]]',
      'name = "two"',
      '[bin.extra]',
      'when = 1979-05-27 07:32:00Z',
      'n = -1_000',
    ].join('\n');
    expect(at(text)).toEqual({
      '["title"]': '"x"',
      '["target","cfg(unix)","dependencies","a"]': '{ version = "0.1", features = ["f", \'g\'] }',
      '["target","cfg(unix)","dependencies","a","version"]': '"0.1"',
      '["target","cfg(unix)","dependencies","a","features"]': '["f", \'g\']',
      '["target","cfg(unix)","dependencies","a","features",0]': '"f"',
      '["target","cfg(unix)","dependencies","a","features",1]': "'g'",
      '["target","cfg(unix)","dependencies","b","version"]': "'=0.1.2'",
      '["bin",0,"name"]': '"one"',
      '["bin",1,"name"]': '"two"',
      '["bin",1,"extra","when"]': '1979-05-27 07:32:00Z',
      '["bin",1,"extra","n"]': '-1_000',
    });
  });

  it('steps over strings holding the characters it splits on, and multi-line strings and arrays with comments', () => {
    const text = [
      'a = "# not a comment, ] } \\" still"',
      "b = '''",
      "version = \"9\" ''''",
      'c = """x\\"""y"""',
      'd = [ # open',
      '  "1",  # one',
      '  [2, 3],',
      '',
      ']',
      'e = { k = "v" }',
    ].join('\r\n');
    const spans = at(text);
    expect(spans['["a"]']).toBe('"# not a comment, ] } \\" still"');
    expect(spans['["b"]']).toBe("'''\r\nversion = \"9\" ''''");
    expect(spans['["c"]']).toBe('"""x\\"""y"""');
    expect(spans['["d",0]']).toBe('"1"');
    expect(spans['["d",1,1]']).toBe('3');
    expect(spans['["e","k"]']).toBe('"v"');
    expect(spans['["version"]']).toBeUndefined();
  });

  it('gives lines, and fails naming the line on text it cannot follow', () => {
    const spans = valueSpans('a = 1\n\n[t]\nb = "x"\n');
    expect(spans.map((s) => s.line)).toEqual([1, 4]);
    expect(() => valueSpans('a = 1\nb = "open\n')).toThrow(TomlScanError);
    expect(() => valueSpans('a = 1\nb = "open\n')).toThrow(/^line 2: unterminated string/);
    expect(() => valueSpans('a = 1 2\n')).toThrow(/line 1: expected the end of the line/);
  });
});
