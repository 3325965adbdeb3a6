/**
 * Where each value of a TOML document is in its text: the key path that reaches it and the exact
 * span of the value as written, so one value can be replaced and every other byte (comments,
 * spacing, quoting, line endings, key order) stays as it was. A parser such as smol-toml gives the
 * values but not their places; this scanner gives the places and leaves meaning to the parser: the
 * text must already parse (callers check with smol-toml first and after editing). Pure.
 */

/** How a value is written: the string forms by their quotes, then the containers, then the rest (numbers, booleans, dates). */
export type ValueForm = 'basic' | 'literal' | 'multiline-basic' | 'multiline-literal' | 'array' | 'inline-table' | 'bare';

/** A path step: a key, or the index of an element of an array or of an array of tables. */
export type PathStep = string | number;

export interface ValueSpan {
  path: PathStep[];
  /** Offsets in the text: `text.slice(start, end)` is the value as written (quotes included). */
  start: number;
  end: number;
  form: ValueForm;
  /** 1-based line of the value's first character. */
  line: number;
}

export class TomlScanError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'TomlScanError';
  }
}

const BARE_KEY = /[A-Za-z0-9_-]/;

/** Every value of `text` (containers and their elements alike), in document order. */
export function valueSpans(text: string): ValueSpan[] {
  return new Scanner(text).document();
}

class Scanner {
  private pos = 0;
  private readonly spans: ValueSpan[] = [];
  /** `[[a.b]]` seen so far: the joined path of the array → the index of its current element. */
  private readonly arrayTables = new Map<string, number>();
  /** Offsets of the newlines, for line numbers. */
  private newlines: number[] | undefined;

  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  document(): ValueSpan[] {
    let table: PathStep[] = [];
    for (;;) {
      this.skipBlank(true);
      if (this.pos >= this.text.length) return this.spans;
      if (this.peek() === '[') table = this.header();
      else {
        const keys = this.key();
        this.inlineSpace();
        this.expect('=');
        this.inlineSpace();
        this.value([...table, ...keys]);
      }
      this.endOfLine();
    }
  }

  /** `[a.b]` or `[[a.b]]`; returns the path the following keys live under. */
  private header(): PathStep[] {
    const array = this.text.startsWith('[[', this.pos);
    this.pos += array ? 2 : 1;
    this.inlineSpace();
    const keys = this.key();
    this.inlineSpace();
    this.expect(array ? ']]' : ']');
    // Keys through an array of tables name its current element: [[bin]] then [bin.x] is bin[last].x.
    const path: PathStep[] = [];
    keys.forEach((k, i) => {
      path.push(k);
      const id = JSON.stringify(path);
      if (array && i === keys.length - 1) {
        const next = (this.arrayTables.get(id) ?? -1) + 1;
        this.arrayTables.set(id, next);
        path.push(next);
      } else if (this.arrayTables.has(id)) path.push(this.arrayTables.get(id)!);
    });
    return path;
  }

  /** A dotted key: bare, "basic" or 'literal' parts, with optional space around the dots. */
  private key(): string[] {
    const keys: string[] = [];
    for (;;) {
      const c = this.peek();
      if (c === '"') keys.push(this.decode(this.basicString()));
      else if (c === "'") {
        const start = this.pos;
        this.literalString();
        keys.push(this.text.slice(start + 1, this.pos - 1));
      } else {
        const start = this.pos;
        while (this.pos < this.text.length && BARE_KEY.test(this.text[this.pos]!)) this.pos++;
        if (this.pos === start) this.fail(`expected a key, found ${this.describe()}`);
        keys.push(this.text.slice(start, this.pos));
      }
      this.inlineSpace();
      if (this.peek() !== '.') return keys;
      this.pos++;
      this.inlineSpace();
    }
  }

  private value(path: PathStep[]): void {
    const start = this.pos;
    const line = this.lineAt(start);
    const c = this.peek();
    let form: ValueForm;
    if (this.text.startsWith('"""', this.pos)) {
      this.multiline('"');
      form = 'multiline-basic';
    } else if (this.text.startsWith("'''", this.pos)) {
      this.multiline("'");
      form = 'multiline-literal';
    } else if (c === '"') {
      this.basicString();
      form = 'basic';
    } else if (c === "'") {
      this.literalString();
      form = 'literal';
    } else if (c === '[') {
      const index = this.spans.length;
      this.spans.push({ path, start, end: start, form: 'array', line });
      this.array(path);
      this.spans[index]!.end = this.pos;
      return;
    } else if (c === '{') {
      const index = this.spans.length;
      this.spans.push({ path, start, end: start, form: 'inline-table', line });
      this.inlineTable(path);
      this.spans[index]!.end = this.pos;
      return;
    } else {
      this.bare();
      form = 'bare';
    }
    this.spans.push({ path, start, end: this.pos, form, line });
  }

  private array(path: PathStep[]): void {
    this.pos++; // [
    for (let index = 0; ; index++) {
      this.skipBlank(true);
      if (this.peek() === ']') break;
      this.value([...path, index]);
      this.skipBlank(true);
      if (this.peek() === ',') {
        this.pos++;
        continue;
      }
      if (this.peek() !== ']') this.fail(`expected , or ] in an array, found ${this.describe()}`);
      break;
    }
    this.pos++; // ]
  }

  private inlineTable(path: PathStep[]): void {
    this.pos++; // {
    // Newlines and comments are TOML 1.1 (cargo reads them); accepting them here costs nothing.
    this.skipBlank(true);
    if (this.peek() === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipBlank(true);
      const keys = this.key();
      this.inlineSpace();
      this.expect('=');
      this.inlineSpace();
      this.value([...path, ...keys]);
      this.skipBlank(true);
      if (this.peek() === ',') {
        this.pos++;
        this.skipBlank(true);
        if (this.peek() === '}') break;
        continue;
      }
      if (this.peek() !== '}') this.fail(`expected , or } in an inline table, found ${this.describe()}`);
      break;
    }
    this.pos++; // }
  }

  /** Returns the raw text with its quotes; stops at the closing quote, skipping escapes. */
  private basicString(): string {
    const start = this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === '\\') this.pos += 2;
      else if (c === '"') return this.text.slice(start, ++this.pos);
      else if (c === '\n') break;
      else this.pos++;
    }
    return this.fail('unterminated string');
  }

  private literalString(): void {
    const end = this.text.indexOf("'", this.pos + 1);
    const newline = this.text.indexOf('\n', this.pos + 1);
    if (end < 0 || (newline >= 0 && newline < end)) this.fail('unterminated literal string');
    this.pos = end + 1;
  }

  /** `"""…"""` or `'''…'''`; the closing run may hold up to two more quotes, which belong to the content. */
  private multiline(q: '"' | "'"): void {
    this.pos += 3;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (q === '"' && c === '\\') {
        this.pos += 2;
        continue;
      }
      if (c === q && this.text.startsWith(q.repeat(3), this.pos)) {
        let run = 3;
        while (run < 5 && this.text[this.pos + run] === q) run++;
        this.pos += run;
        return;
      }
      this.pos++;
    }
    this.fail('unterminated multi-line string');
  }

  /** A number, boolean or date: up to the next separator; a date and a time may be split by one space. */
  private bare(): void {
    const token = (from: number) => /^[^\s,\]}#]*/.exec(this.text.slice(from, from + 128))![0];
    const first = token(this.pos);
    if (first.length === 0) this.fail(`expected a value, found ${this.describe()}`);
    this.pos += first.length;
    if (/^\d{4}-\d{2}-\d{2}$/.test(first) && /^ \d{2}:/.test(this.text.slice(this.pos, this.pos + 4))) this.pos += 1 + token(this.pos + 1).length;
  }

  /** After a key/value pair or a header: space, an optional comment, then a newline or the end. */
  private endOfLine(): void {
    this.inlineSpace();
    if (this.peek() === '#') this.comment();
    if (this.pos >= this.text.length) return;
    if (this.text.startsWith('\r\n', this.pos)) this.pos += 2;
    else if (this.peek() === '\n') this.pos++;
    else this.fail(`expected the end of the line, found ${this.describe()}`);
  }

  private skipBlank(newlines: boolean): void {
    for (;;) {
      this.inlineSpace();
      const c = this.peek();
      if (c === '#') this.comment();
      else if (newlines && (c === '\n' || (c === '\r' && this.text[this.pos + 1] === '\n'))) this.pos += c === '\r' ? 2 : 1;
      else return;
    }
  }

  private comment(): void {
    const nl = this.text.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.text.length : this.text[nl - 1] === '\r' ? nl - 1 : nl;
  }

  private inlineSpace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  private expect(s: string): void {
    if (!this.text.startsWith(s, this.pos)) this.fail(`expected ${s}, found ${this.describe()}`);
    this.pos += s.length;
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private describe(): string {
    return this.pos >= this.text.length ? 'the end of the text' : JSON.stringify(this.text.slice(this.pos, this.pos + 12));
  }

  /** A basic string key's value: its escapes as TOML reads them (JSON's, plus \U and \e). */
  private decode(raw: string): string {
    return raw
      .slice(1, -1)
      .replace(/\\(U[0-9A-Fa-f]{8}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|.)/g, (_, e: string) => {
        if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
        return ({ b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' } as Record<string, string>)[e] ?? e;
      });
  }

  private lineAt(offset: number): number {
    if (!this.newlines) {
      this.newlines = [];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) this.newlines.push(i);
    }
    let lo = 0;
    let hi = this.newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.newlines[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }

  private fail(message: string): never {
    throw new TomlScanError(this.lineAt(this.pos), message);
  }
}

/** Whether two paths are the same. */
export function samePath(a: readonly PathStep[], b: readonly PathStep[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
