/**
 * A Dockerfile read the way the engines' readers split it into instructions (BuildKit's
 * frontend/dockerfile/parser, and the older Docker parser podman's legacy builder carries): parser
 * directives at the top, comments, line continuations with the escape character, keywords in any
 * case, and heredocs, whose lines belong to the instruction that opens them. Only the split is
 * done here; what an instruction may do is isolated-steps.ts. Pure.
 */

export interface Directive {
  /** Lower-cased, as the engines compare it. */
  name: string;
  value: string;
  line: number;
}

export interface Heredoc {
  /** The terminator word, unquoted. */
  word: string;
  /** `<<-`: leading tabs are stripped before comparing with the terminator. */
  stripTabs: boolean;
  /** The lines between the opening line and the terminator, each ending in a newline. */
  body: string;
  /** 1-based line of the body's first line. */
  line: number;
}

export interface Instruction {
  /** 1-based line the instruction starts on. */
  line: number;
  /** Upper-cased: engines read keywords in any case. */
  keyword: string;
  /** What follows the keyword, continuation lines joined (without the escape character), trimmed. */
  args: string;
  /** Continuation lines as written (not the first line, not comments inside the continuation). */
  continuations: { line: number; text: string }[];
  heredocs: Heredoc[];
}

export interface ReadDockerfile {
  escape: '\\' | '`';
  directives: Directive[];
  instructions: Instruction[];
  /** What the engines would refuse to read at all (a bad directive, an unterminated heredoc). */
  errors: { line: number; message: string }[];
}

/** Directives the engines know; an unknown one is a comment and ends the directives. */
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
/** Instructions whose arguments may open heredocs (BuildKit reads `<<` in no other). */
const HEREDOC_INSTRUCTIONS = new Set(['RUN', 'COPY', 'ADD']);
/** A heredoc opener as one word: optional fd digits, `<<`, optional `-`, the word (optionally quoted). */
const HEREDOC_WORD = /^\d*<<(-?)(.+)$/;

const isComment = (line: string) => /^[ \t]*#/.test(line);
const isBlank = (line: string) => /^[ \t]*$/.test(line);

export function readDockerfile(text: string): ReadDockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const out: ReadDockerfile = { escape: '\\', directives: [], instructions: [], errors: [] };
  let continuation = /\\[ \t]*$/;
  let directivesDone = false;
  for (let i = 0; i < lines.length; ) {
    const lineNo = i + 1;
    const raw = lines[i++]!;
    const first = raw.replace(/^[ \t]+/, '');
    if (!directivesDone) {
      // Directives come first: the first line that is not one (blank, comment, instruction) ends them.
      const m = DIRECTIVE.exec(first);
      const name = m?.[1]!.toLowerCase();
      if (m && name && KNOWN_DIRECTIVES.has(name)) {
        if (out.directives.some((d) => d.name === name)) out.errors.push({ line: lineNo, message: `only one ${name} parser directive may be used` });
        out.directives.push({ name, value: m[2]!, line: lineNo });
        if (name === 'escape') {
          if (m[2] !== '\\' && m[2] !== '`') out.errors.push({ line: lineNo, message: `invalid escape character ${JSON.stringify(m[2])}: it must be \\ or \`` });
          else {
            out.escape = m[2];
            continuation = m[2] === '`' ? /`[ \t]*$/ : /\\[ \t]*$/;
          }
        }
        continue;
      }
      directivesDone = true;
    }
    if (isComment(first) || isBlank(first)) continue;
    // Join continuation lines: comments and blank lines inside them are skipped, as the engines do.
    let joined = first;
    let open = continuation.test(joined);
    if (open) joined = joined.replace(continuation, '');
    const continuations: Instruction['continuations'] = [];
    while (open && i < lines.length) {
      const at = i + 1;
      const next = lines[i++]!;
      if (isComment(next) || isBlank(next)) continue;
      continuations.push({ line: at, text: next });
      open = continuation.test(next);
      joined += open ? next.replace(continuation, '') : next;
    }
    const [word = '', ...rest] = joined.trim().split(/[ \t]+/);
    const keyword = word.toUpperCase();
    const args = joined.trim().slice(word.length).trim();
    const heredocs: Heredoc[] = [];
    if (HEREDOC_INSTRUCTIONS.has(keyword)) {
      for (const w of rest) {
        const h = HEREDOC_WORD.exec(w);
        if (!h) continue;
        const stripTabs = h[1] === '-';
        const word = h[2]!.replace(/^(["'])(.*)\1$/, '$2');
        // The body runs to the first line equal to the terminator; it is the instruction's, never instructions of its own.
        const start = i + 1;
        const body: string[] = [];
        let terminated = false;
        while (i < lines.length) {
          const l = lines[i++]!;
          if ((stripTabs ? l.replace(/^\t+/, '') : l) === word) {
            terminated = true;
            break;
          }
          body.push(`${l}\n`);
        }
        if (!terminated) out.errors.push({ line: lineNo, message: `the heredoc <<${word} opened here is never terminated` });
        heredocs.push({ word, stripTabs, body: body.join(''), line: start });
      }
    }
    out.instructions.push({ line: lineNo, keyword, args, continuations, heredocs });
  }
  return out;
}

/**
 * The leading `--name=value` (or `--name`) flags of an instruction's arguments, and what follows
 * them. Pure.
 */
export function splitFlags(args: string): { flags: { name: string; value?: string }[]; rest: string } {
  const flags: { name: string; value?: string }[] = [];
  let rest = args.trim();
  for (let m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?(?:[ \t]+|$)/.exec(rest); m; m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?(?:[ \t]+|$)/.exec(rest)) {
    flags.push(m[2] === undefined ? { name: m[1]!.toLowerCase() } : { name: m[1]!.toLowerCase(), value: m[2] });
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

/**
 * The words of an instruction's arguments: a JSON array of strings when it is one (the exec
 * form), else the whitespace-separated words with one pair of surrounding quotes removed. Pure.
 */
export function argumentList(rest: string): string[] {
  const text = rest.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return parsed;
    } catch {
      // Not JSON: the engines read it as the shell form too.
    }
  }
  return text ? text.split(/[ \t]+/).map((w) => w.replace(/^(["'])(.*)\1$/, '$2')) : [];
}
