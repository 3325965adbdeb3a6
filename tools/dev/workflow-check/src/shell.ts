/**
 * Enough of a POSIX/bash reader for the rules to see a run script as the shell does: commands and
 * pipelines with their offsets, which of them run in a condition, inside `$( )`, on either side of
 * `&&`/`||`, and what is text rather than code (quotes, comments, heredoc bodies, `[[ ]]` tests,
 * `case` patterns, arithmetic). It never rejects a script: what it cannot read it skips.
 */

export interface Word {
  /** As written, quotes and all. */
  raw: string;
  /** Quotes removed and escapes resolved; expansions stay as written. */
  text: string;
  start: number;
  end: number;
  /** The code inside each `$( )`, backtick pair or `<( )` of the word. */
  substitutions: Range[];
}

export interface Range {
  start: number;
  end: number;
}

export interface Redirect {
  op: string;
  at: number;
  target?: Word;
}

export interface Context {
  /** 0 for the script's own commands, 1 inside one `$( )`, and so on. */
  depth: number;
  /** In the condition of if/elif/while/until: the script tests its status. */
  inCondition: boolean;
  /** For depth > 0: the command one of whose words holds the substitution. */
  owner?: SimpleCommand;
  /** For depth > 0: the variable the substitution's output is assigned to (`v=$(…)`). */
  assignedTo?: string;
}

export interface SimpleCommand extends Context {
  kind: 'simple';
  assignments: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
  start: number;
  end: number;
}

export interface CompoundCommand extends Context {
  kind: 'compound';
  keyword: string;
  start: number;
  end: number;
  /** Every simple command inside, in order. */
  inner: SimpleCommand[];
  redirects: Redirect[];
}

export type Command = SimpleCommand | CompoundCommand;

export interface Link {
  op: '&&' | '||';
  at: number;
  pipeline: Pipeline;
}

export interface Pipeline extends Context {
  commands: Command[];
  /** Offsets of the `|` (or `|&`) between the commands. */
  pipes: number[];
  negated: boolean;
  start: number;
  end: number;
  /** The and-or list it is in: the operator and pipeline before and after it. */
  before?: Link;
  after?: Link;
}

export interface ShellScript {
  text: string;
  /** Every simple command, substitutions and heredoc substitutions included, in text order. */
  commands: SimpleCommand[];
  /** Every pipeline (a lone command is a pipeline of one), in text order. */
  pipelines: Pipeline[];
}

export function parseShell(text: string): ShellScript {
  const commands: SimpleCommand[] = [];
  const pipelines: Pipeline[] = [];
  const queue: { range: Range; ctx: Context; heredoc: boolean }[] = [{ range: { start: 0, end: text.length }, ctx: { depth: 0, inCondition: false }, heredoc: false }];
  while (queue.length) {
    const { range, ctx, heredoc } = queue.shift()!;
    const ranges = heredoc ? heredocSubstitutions(text, range) : [range];
    for (const r of ranges) {
      const parser = new Parser(new Lexer(text, r.start, r.end), ctx);
      parser.parseProgram();
      commands.push(...parser.commands);
      pipelines.push(...parser.pipelines);
      for (const cmd of parser.commands) {
        const inner = { depth: ctx.depth + 1, inCondition: false, owner: cmd };
        for (const a of cmd.assignments) for (const s of a.value.substitutions) queue.push({ range: s, ctx: { ...inner, assignedTo: a.name }, heredoc: false });
        for (const w of [...cmd.words, ...cmd.redirects.flatMap((r) => (r.target ? [r.target] : []))]) for (const s of w.substitutions) queue.push({ range: s, ctx: inner, heredoc: false });
      }
      for (const { owner, body } of parser.heredocs) if (body.start >= 0 && !body.quoted) queue.push({ range: body, ctx: { depth: ctx.depth + 1, inCondition: false, ...(owner ? { owner } : {}) }, heredoc: true });
      for (const w of parser.looseWords) for (const s of w.substitutions) queue.push({ range: s, ctx: { depth: ctx.depth + 1, inCondition: false }, heredoc: false });
    }
  }
  commands.sort((a, b) => a.start - b.start);
  pipelines.sort((a, b) => a.start - b.start);
  return { text, commands, pipelines };
}

/** A command's words as plain text, from its command word on. */
export function wordTexts(cmd: SimpleCommand): string[] {
  return cmd.words.map((w) => w.text);
}

/** Every simple command of a pipeline, those inside compound commands included. */
export function simpleCommandsOf(p: Pipeline): SimpleCommand[] {
  return p.commands.flatMap((c) => (c.kind === 'simple' ? [c] : c.inner));
}

// ---------------------------------------------------------------------------------------------

interface HeredocBody extends Range {
  quoted: boolean;
}

type Token =
  | { kind: 'word'; word: Word; heredoc?: HeredocBody }
  | { kind: 'op'; op: string; start: number; end: number }
  | { kind: 'newline'; start: number; end: number }
  | { kind: 'eof'; start: number; end: number };

const OPERATORS = ['<<<', '<<-', ';;&', '&>>', '&&', '||', '|&', ';;', ';&', '<<', '>>', '<&', '>&', '<>', '>|', '&>', '|', '&', ';', '(', ')', '<', '>'];
const REDIRECTS = new Set(['<<<', '<<-', '&>>', '<<', '>>', '<&', '>&', '<>', '>|', '&>', '<', '>']);
/** Words after which the next word is a command again. */
const LEADS_TO_COMMAND = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'case', 'esac', 'while', 'until', 'for', 'select', 'in', '{', '}', '!', 'function', 'time']);
/** Reserved words that close what another opened: never a command of their own. */
const CLOSERS = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', 'in', '}']);
const BLANK = /[ \t\r]/;
const OPERATOR_START = /[|&;()<>]/;

class Lexer {
  private commandPosition = true;
  private inTest = false;
  private afterFor = false;
  private expectDelimiter: { stripTabs: boolean } | undefined;
  private pending: { delimiter: string; stripTabs: boolean; body: HeredocBody }[] = [];

  constructor(
    private readonly text: string,
    private pos: number,
    private readonly end: number,
  ) {}

  next(): Token {
    for (;;) {
      while (this.pos < this.end) {
        const c = this.text[this.pos]!;
        if (BLANK.test(c)) this.pos++;
        else if (c === '\\' && this.text[this.pos + 1] === '\n') this.pos += 2;
        else break;
      }
      if (this.pos >= this.end) return { kind: 'eof', start: this.end, end: this.end };
      const c = this.text[this.pos]!;
      if (c === '#') {
        const nl = this.text.indexOf('\n', this.pos);
        this.pos = nl < 0 || nl > this.end ? this.end : nl;
        continue;
      }
      if (c === '\n') {
        const start = this.pos++;
        this.readHeredocBodies();
        this.commandPosition = true;
        return { kind: 'newline', start, end: start + 1 };
      }
      break;
    }
    const start = this.pos;
    if (this.inTest) {
      if (this.text.startsWith(']]', start)) {
        this.pos += 2;
        this.inTest = false;
        this.commandPosition = false;
        return { kind: 'word', word: { raw: ']]', text: ']]', start, end: start + 2, substitutions: [] } };
      }
      const word = this.readWord(true);
      if (word.raw === ']]') {
        this.inTest = false;
        this.commandPosition = false;
      }
      return { kind: 'word', word };
    }
    if (this.text.startsWith('((', start) && (this.commandPosition || this.afterFor)) {
      const close = this.matchDoubleParen(start);
      this.pos = close;
      this.commandPosition = false;
      this.afterFor = false;
      const raw = this.text.slice(start, close);
      return { kind: 'word', word: { raw, text: raw, start, end: close, substitutions: [] } };
    }
    // An IO number: the 2 of 2>&1.
    const io = /^\d+(?=[<>])/.exec(this.text.slice(start, Math.min(this.end, start + 6)));
    const opStart = start + (io ? io[0].length : 0);
    const isProcessSubstitution = /[<>]/.test(this.text[opStart] ?? '') && this.text[opStart + 1] === '(';
    if (!isProcessSubstitution) {
      const op = OPERATORS.find((o) => this.text.startsWith(o, opStart) && opStart + o.length <= this.end);
      if (op && (io === null || REDIRECTS.has(op))) {
        this.pos = opStart + op.length;
        this.commandPosition = !REDIRECTS.has(op);
        this.afterFor = false;
        if (op === '<<' || op === '<<-') this.expectDelimiter = { stripTabs: op === '<<-' };
        return { kind: 'op', op, start, end: this.pos };
      }
    }
    const word = this.readWord(false);
    const token: Token = { kind: 'word', word };
    if (this.expectDelimiter) {
      const body: HeredocBody = { start: -1, end: -1, quoted: word.raw !== word.text };
      this.pending.push({ delimiter: word.text, stripTabs: this.expectDelimiter.stripTabs, body });
      token.heredoc = body;
      this.expectDelimiter = undefined;
      this.commandPosition = false;
      return token;
    }
    if (word.raw === '[[' && this.commandPosition) this.inTest = true;
    this.afterFor = word.raw === 'for' && this.commandPosition;
    this.commandPosition = LEADS_TO_COMMAND.has(word.raw) && this.commandPosition;
    return token;
  }

  /** Heredoc bodies start on the line after their operator; the shell reads them as data. */
  private readHeredocBodies(): void {
    for (const h of this.pending) {
      h.body.start = this.pos;
      h.body.end = this.end;
      while (this.pos < this.end) {
        const nl = this.text.indexOf('\n', this.pos);
        const lineEnd = nl < 0 || nl > this.end ? this.end : nl;
        const line = this.text.slice(this.pos, lineEnd);
        // Leading blanks are stripped for the comparison whatever the operator: in a YAML block the
        // whole script is indented, and a delimiter that does not match would swallow the script.
        if (line.replace(/^[\t ]+/, '').replace(/\r$/, '') === h.delimiter) {
          h.body.end = this.pos;
          this.pos = Math.min(this.end, lineEnd + 1);
          break;
        }
        this.pos = Math.min(this.end, lineEnd + 1);
      }
    }
    this.pending = [];
  }

  private readWord(inTest: boolean): Word {
    const start = this.pos;
    let text = '';
    const substitutions: Range[] = [];
    while (this.pos < this.end) {
      const c = this.text[this.pos]!;
      if (BLANK.test(c) || c === '\n') break;
      if (OPERATOR_START.test(c)) {
        if ((c === '<' || c === '>') && this.text[this.pos + 1] === '(') {
          const close = matchParen(this.text, this.pos + 1, this.end);
          substitutions.push({ start: this.pos + 2, end: close });
          text += this.text.slice(this.pos, close + 1);
          this.pos = close + 1;
          continue;
        }
        if (!inTest) break;
      }
      if (c === "'") {
        const close = this.closing("'", this.pos + 1);
        text += this.text.slice(this.pos + 1, close);
        this.pos = close + 1;
      } else if (c === '"') {
        text += this.readDoubleQuoted(substitutions);
      } else if (c === '\\') {
        if (this.text[this.pos + 1] !== '\n') text += this.text[this.pos + 1] ?? '';
        this.pos += 2;
      } else if (c === '$') {
        text += this.readDollar(substitutions);
      } else if (c === '`') {
        text += this.readBacktick(substitutions);
      } else {
        text += c;
        this.pos++;
      }
    }
    this.pos = Math.min(this.pos, this.end);
    return { raw: this.text.slice(start, this.pos), text, start, end: this.pos, substitutions };
  }

  /** A `...` substitution at pos, as written; its inside is recorded as a substitution. */
  private readBacktick(substitutions: Range[]): string {
    const close = this.backtickClose(this.pos + 1);
    substitutions.push({ start: this.pos + 1, end: close });
    const raw = this.text.slice(this.pos, close + 1);
    this.pos = close + 1;
    return raw;
  }

  private readDoubleQuoted(substitutions: Range[]): string {
    let text = '';
    this.pos++;
    while (this.pos < this.end && this.text[this.pos] !== '"') {
      const c = this.text[this.pos]!;
      if (c === '\\') {
        const n = this.text[this.pos + 1] ?? '';
        text += '$`"\\'.includes(n) ? n : n === '\n' ? '' : `\\${n}`;
        this.pos += 2;
      } else if (c === '$') {
        text += this.readDollar(substitutions);
      } else if (c === '`') {
        text += this.readBacktick(substitutions);
      } else {
        text += c;
        this.pos++;
      }
    }
    this.pos++;
    return text;
  }

  /** `$(…)`, `$((…))`, `${…}`, `$'…'` or a plain `$`; returns the text as written (ANSI-C strings unquoted). */
  private readDollar(substitutions: Range[]): string {
    const at = this.pos;
    const n = this.text[at + 1];
    if (n === '(' && this.text[at + 2] === '(') {
      this.pos = this.matchDoubleParen(at + 1);
      return this.text.slice(at, this.pos);
    }
    if (n === '(') {
      const close = matchParen(this.text, at + 1, this.end);
      substitutions.push({ start: at + 2, end: close });
      this.pos = close + 1;
      return this.text.slice(at, this.pos);
    }
    if (n === '{') {
      const close = matchBrace(this.text, at + 1, this.end, substitutions);
      this.pos = close + 1;
      return this.text.slice(at, this.pos);
    }
    if (n === "'") {
      let i = at + 2;
      while (i < this.end && this.text[i] !== "'") i += this.text[i] === '\\' ? 2 : 1;
      this.pos = Math.min(i, this.end) + 1;
      return this.text.slice(at + 2, Math.min(i, this.end)).replace(/\\(.)/g, '$1');
    }
    this.pos++;
    return '$';
  }

  private closing(quote: string, from: number): number {
    const i = this.text.indexOf(quote, from);
    return i < 0 || i >= this.end ? this.end : i;
  }

  private backtickClose(from: number): number {
    let i = from;
    while (i < this.end && this.text[i] !== '`') i += this.text[i] === '\\' ? 2 : 1;
    return Math.min(i, this.end);
  }

  /** From the first of `((`, the offset just past the matching `))`. */
  private matchDoubleParen(open: number): number {
    let depth = 0;
    for (let i = open; i < this.end; i++) {
      if (this.text[i] === '(') depth++;
      else if (this.text[i] === ')' && --depth === 0) return i + 1;
    }
    return this.end;
  }
}

/** The offset of the `)` closing the `(` at `open`, skipping quotes and nested parentheses. */
function matchParen(text: string, open: number, end: number): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === "'") i = skipTo(text, "'", i + 1, end);
    else if (c === '"') i = skipDouble(text, i + 1, end);
    else if (c === '`') i = skipTo(text, '`', i + 1, end);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return end;
}

/** The offset of the `}` closing the `{` at `open`; substitutions inside (`${x:-$(cmd)}`) are noted. */
function matchBrace(text: string, open: number, end: number, substitutions: Range[]): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === "'") i = skipTo(text, "'", i + 1, end);
    else if (c === '"') i = skipDouble(text, i + 1, end);
    else if (c === '$' && text[i + 1] === '(' && text[i + 2] !== '(') {
      const close = matchParen(text, i + 1, end);
      substitutions.push({ start: i + 2, end: close });
      i = close;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return end;
}

function skipTo(text: string, quote: string, from: number, end: number): number {
  const i = text.indexOf(quote, from);
  return i < 0 || i >= end ? end : i;
}

function skipDouble(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return Math.min(i, end);
}

/** The substitutions of an unquoted heredoc body: the rest of it is data. */
function heredocSubstitutions(text: string, body: Range): Range[] {
  const found: Range[] = [];
  for (let i = body.start; i < body.end; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '$' && text[i + 1] === '(' && text[i + 2] !== '(') {
      const close = matchParen(text, i + 1, body.end);
      found.push({ start: i + 2, end: close });
      i = close;
    } else if (c === '`') {
      const close = skipTo(text, '`', i + 1, body.end);
      found.push({ start: i + 1, end: close });
      i = close;
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------

function isEmpty(c: Command): boolean {
  return c.kind === 'simple' && c.words.length === 0 && c.assignments.length === 0 && c.redirects.length === 0;
}

class Parser {
  readonly commands: SimpleCommand[] = [];
  readonly pipelines: Pipeline[] = [];
  readonly heredocs: { owner?: SimpleCommand; body: HeredocBody }[] = [];
  /** Words of compound commands (`for x in $(…)`, `case $(…) in`) that belong to no simple command. */
  readonly looseWords: Word[] = [];
  private tok: Token;

  constructor(
    private readonly lexer: Lexer,
    private readonly ctx: Context,
  ) {
    this.tok = lexer.next();
  }

  parseProgram(): void {
    while (this.kind() !== 'eof') {
      this.parseList(new Set(), this.ctx.inCondition);
      // A terminator with nothing open (a stray `fi`, `)` or `;;`): skip it and read on.
      if (this.kind() !== 'eof') this.advance();
    }
  }

  /** The current token's kind, read afresh (advance() changes it behind the type checker's back). */
  private kind(): Token['kind'] {
    return this.tok.kind;
  }

  private advance(): Token {
    const t = this.tok;
    this.tok = this.lexer.next();
    return t;
  }

  private isWord(text: string): boolean {
    return this.tok.kind === 'word' && this.tok.word.raw === text;
  }

  private isOp(...ops: string[]): boolean {
    return this.tok.kind === 'op' && ops.includes(this.tok.op);
  }

  private skipNewlines(): void {
    while (this.tok.kind === 'newline') this.advance();
  }

  private atTerminator(terms: Set<string>): boolean {
    if (this.tok.kind === 'word') return terms.has(this.tok.word.raw);
    if (this.tok.kind === 'op') return terms.has(this.tok.op);
    return this.tok.kind === 'eof';
  }

  private expect(word: string): void {
    if (this.isWord(word)) this.advance();
  }

  private parseList(terms: Set<string>, inCondition: boolean): void {
    for (;;) {
      while (this.tok.kind === 'newline' || this.isOp(';', '&')) this.advance();
      if (this.atTerminator(terms)) return;
      const before = this.tokenStart();
      this.parseAndOr(inCondition);
      if (this.tokenStart() === before) return; // nothing could be read here: let the caller skip it
    }
  }

  private tokenStart(): number {
    return this.tok.kind === 'word' ? this.tok.word.start : this.tok.start;
  }

  private parseAndOr(inCondition: boolean): void {
    let left = this.parsePipeline(inCondition);
    while (this.isOp('&&', '||')) {
      const t = this.advance() as { op: '&&' | '||'; start: number };
      this.skipNewlines();
      const right = this.parsePipeline(inCondition);
      left.after = { op: t.op, at: t.start, pipeline: right };
      right.before = { op: t.op, at: t.start, pipeline: left };
      left = right;
    }
  }

  private parsePipeline(inCondition: boolean): Pipeline {
    const start = this.tokenStart();
    let negated = false;
    while (this.isWord('!') || this.isWord('time')) {
      if (this.isWord('!')) negated = true;
      this.advance();
    }
    const commands = [this.parseCommand(inCondition)];
    const pipes: number[] = [];
    while (this.isOp('|', '|&')) {
      pipes.push((this.advance() as { start: number }).start);
      this.skipNewlines();
      commands.push(this.parseCommand(inCondition));
    }
    const pipeline: Pipeline = { ...this.context(inCondition), commands, pipes, negated, start, end: commands[commands.length - 1]!.end };
    if (commands.length > 1 || !isEmpty(commands[0]!)) this.pipelines.push(pipeline);
    return pipeline;
  }

  private context(inCondition: boolean): Context {
    return { ...this.ctx, inCondition };
  }

  private parseCommand(inCondition: boolean): Command {
    if (this.tok.kind === 'word' && this.tok.word.raw === this.tok.word.text && RESERVED.has(this.tok.word.raw)) {
      const keyword = this.tok.word.raw;
      const start = this.tok.word.start;
      const first = this.commands.length;
      const body = (): void => {
        switch (keyword) {
          case 'if':
            return this.parseIf(inCondition);
          case 'while':
          case 'until':
            this.advance();
            this.parseList(new Set(['do']), true);
            this.expect('do');
            this.parseList(new Set(['done']), inCondition);
            return this.expect('done');
          case 'for':
          case 'select':
            return this.parseFor(inCondition);
          case 'case':
            return this.parseCase(inCondition);
          case '{':
            this.advance();
            this.parseList(new Set(['}']), inCondition);
            return this.expect('}');
          case 'function':
            this.advance();
            if (this.tok.kind === 'word') this.advance();
            if (this.isOp('(')) {
              this.advance();
              if (this.isOp(')')) this.advance();
            }
            this.skipNewlines();
            this.parseCommand(false);
            return;
          default:
            // then/fi/done/… out of place: leave it for the list to stop at.
            return;
        }
      };
      if (['if', 'while', 'until', 'for', 'select', 'case', '{', 'function'].includes(keyword)) {
        body();
        return this.compound(keyword, start, first, inCondition);
      }
    }
    if (this.isOp('(')) {
      const start = this.tokenStart();
      const first = this.commands.length;
      this.advance();
      this.parseList(new Set([')']), inCondition);
      if (this.isOp(')')) this.advance();
      return this.compound('(', start, first, inCondition);
    }
    return this.parseSimple(inCondition);
  }

  private compound(keyword: string, start: number, first: number, inCondition: boolean): CompoundCommand {
    const redirects = this.readRedirects(undefined);
    // `done < <(cmd)`: code in a redirect of the loop.
    for (const r of redirects) if (r.target) this.looseWords.push(r.target);
    return { kind: 'compound', keyword, ...this.context(inCondition), start, end: this.lastEnd(start), inner: this.commands.slice(first), redirects };
  }

  private lastEnd(fallback: number): number {
    return this.commands.length ? Math.max(fallback, this.commands[this.commands.length - 1]!.end) : fallback;
  }

  private parseIf(inCondition: boolean): void {
    this.advance();
    this.parseList(new Set(['then']), true);
    this.expect('then');
    this.parseList(new Set(['elif', 'else', 'fi']), inCondition);
    while (this.isWord('elif')) {
      this.advance();
      this.parseList(new Set(['then']), true);
      this.expect('then');
      this.parseList(new Set(['elif', 'else', 'fi']), inCondition);
    }
    if (this.isWord('else')) {
      this.advance();
      this.parseList(new Set(['fi']), inCondition);
    }
    this.expect('fi');
  }

  private parseFor(inCondition: boolean): void {
    this.advance();
    if (this.tok.kind === 'word') this.advance(); // the name, or ((…))
    while (this.tok.kind === 'newline') this.advance();
    if (this.isWord('in')) {
      this.advance();
      while (this.tok.kind === 'word') this.looseWords.push((this.advance() as { word: Word }).word);
    }
    while (this.kind() === 'newline' || this.isOp(';')) this.advance();
    this.expect('do');
    this.parseList(new Set(['done']), inCondition);
    this.expect('done');
  }

  private parseCase(inCondition: boolean): void {
    this.advance();
    if (this.tok.kind === 'word') this.looseWords.push((this.advance() as { word: Word }).word);
    this.skipNewlines();
    this.expect('in');
    for (;;) {
      this.skipNewlines();
      if (this.isWord('esac')) {
        this.advance();
        return;
      }
      if (this.tok.kind === 'eof') return;
      if (this.isOp('(')) this.advance();
      // Patterns: words and `|` up to `)`; none of it is code.
      while (this.kind() !== 'eof' && !this.isOp(')')) this.advance();
      if (this.isOp(')')) this.advance();
      this.parseList(new Set([';;', ';&', ';;&', 'esac']), inCondition);
      if (this.isOp(';;', ';&', ';;&')) this.advance();
    }
  }

  private parseSimple(inCondition: boolean): SimpleCommand {
    const cmd: SimpleCommand = { kind: 'simple', ...this.context(inCondition), assignments: [], words: [], redirects: [], start: this.tokenStart(), end: this.tokenStart() };
    if (this.tok.kind === 'word' && CLOSERS.has(this.tok.word.raw)) return cmd;
    for (;;) {
      if (this.tok.kind === 'word') {
        const word = this.tok.word;
        const assignment = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?\+?=/.exec(word.raw);
        // export/local/readonly/declare NAME=… assign too.
        const declares = cmd.words.length === 1 && ['export', 'local', 'readonly', 'declare', 'typeset'].includes(cmd.words[0]!.text);
        if (assignment && (cmd.words.length === 0 || declares)) {
          const offset = assignment[0].length;
          const value = { ...word, raw: word.raw.slice(offset), text: word.text.slice(word.text.indexOf('=') + 1), start: word.start + offset };
          cmd.assignments.push({ name: assignment[1]!, value });
          if (declares) cmd.words.push(word);
        } else {
          cmd.words.push(word);
        }
        cmd.end = word.end;
        this.advance();
        // name() { …; }: a function definition.
        if (cmd.words.length === 1 && cmd.assignments.length === 0 && this.isOp('(')) {
          this.advance();
          if (this.isOp(')')) this.advance();
          this.skipNewlines();
          this.parseCommand(false);
          cmd.words = [];
          return cmd;
        }
      } else if (this.tok.kind === 'op' && REDIRECTS.has(this.tok.op)) {
        cmd.redirects.push(...this.readRedirects(cmd));
        cmd.end = this.lastTokenEnd;
      } else {
        break;
      }
    }
    if (!isEmpty(cmd)) this.commands.push(cmd);
    return cmd;
  }

  private lastTokenEnd = 0;

  private readRedirects(owner: SimpleCommand | undefined): Redirect[] {
    const found: Redirect[] = [];
    while (this.tok.kind === 'op' && REDIRECTS.has(this.tok.op)) {
      const op = this.advance() as { op: string; start: number; end: number };
      this.lastTokenEnd = op.end;
      const redirect: Redirect = { op: op.op, at: op.start };
      if (this.kind() === 'word') {
        const t = this.advance() as { word: Word; heredoc?: HeredocBody };
        redirect.target = t.word;
        this.lastTokenEnd = t.word.end;
        if (t.heredoc) this.heredocs.push({ ...(owner ? { owner } : {}), body: t.heredoc });
      }
      found.push(redirect);
    }
    return found;
  }
}
