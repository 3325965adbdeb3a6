import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { argumentList, readDockerfile, splitFlags } from './dockerfile';

const keywords = (text: string) => readDockerfile(text).instructions.map((i) => [i.line, i.keyword, i.args]);

describe('readDockerfile', () => {
  it("reads the orchestrator's own Dockerfile: comments skipped, ARG before FROM, one instruction per line", () => {
    const text = readFileSync(join(import.meta.dirname, '../../../../../../apps/governance-app/Dockerfile'), 'utf8');
    expect(keywords(text)).toEqual([
      [4, 'ARG', 'RUNTIME_BASE=scratch'],
      [5, 'FROM', '${RUNTIME_BASE}'],
      [6, 'COPY', 'blvm-commons /usr/local/bin/'],
      [8, 'USER', '65532:65532'],
      [9, 'ENTRYPOINT', '["/usr/local/bin/blvm-commons"]'],
    ]);
  });

  it('reads keywords in any case, and instructions indented', () => {
    expect(keywords('from scratch\n  Run echo hi\n\tcOpY a /a\n')).toEqual([
      [1, 'FROM', 'scratch'],
      [2, 'RUN', 'echo hi'],
      [3, 'COPY', 'a /a'],
    ]);
  });

  it('joins continuation lines, skipping comments and blank lines inside them, and keeps the continuation lines as written', () => {
    const file = readDockerfile('FROM scratch\nLABEL a=1 \\\n# a comment \\\n\n    b=2 \\  \n  c=3\nUSER 1\n');
    expect(file.instructions.map((i) => [i.line, i.keyword, i.args])).toEqual([
      [1, 'FROM', 'scratch'],
      [2, 'LABEL', 'a=1     b=2   c=3'],
      [7, 'USER', '1'],
    ]);
    expect(file.instructions[1]!.continuations).toEqual([
      { line: 5, text: '    b=2 \\  ' },
      { line: 6, text: '  c=3' },
    ]);
  });

  it('reads CRLF line endings and a byte-order mark', () => {
    expect(keywords('\uFEFFFROM scratch\r\nRUN a \\\r\n b\r\n')).toEqual([
      [1, 'FROM', 'scratch'],
      [2, 'RUN', 'a  b'],
    ]);
  });

  it('reads parser directives at the top only, and the escape directive changes the continuation character', () => {
    const file = readDockerfile('# escape=`\n# syntax=docker/dockerfile:1\nFROM scratch\nLABEL a=c:\\path\\\nRUN x `\n  y\n# escape=\\\n');
    expect(file.escape).toBe('`');
    expect(file.directives).toEqual([
      { name: 'escape', value: '`', line: 1 },
      { name: 'syntax', value: 'docker/dockerfile:1', line: 2 },
    ]);
    // With ` as the escape, a trailing backslash is text: RUN is an instruction of its own.
    expect(file.instructions.map((i) => [i.line, i.keyword, i.args])).toEqual([
      [3, 'FROM', 'scratch'],
      [4, 'LABEL', 'a=c:\\path\\'],
      [5, 'RUN', 'x   y'],
    ]);
  });

  it('ends the directives at the first line that is not one: a comment, a blank line or an unknown directive', () => {
    expect(readDockerfile('# a comment\n# escape=`\nFROM scratch\n').directives).toEqual([]);
    expect(readDockerfile('\n# escape=`\nFROM scratch\n').escape).toBe('\\');
    expect(readDockerfile('# unknown=x\n# escape=`\nFROM scratch\n').escape).toBe('\\');
    expect(readDockerfile('  # ESCAPE = `\nFROM scratch\n').directives).toEqual([{ name: 'escape', value: '`', line: 1 }]);
  });

  it('names a directive the engines refuse: a repeated one, an escape that is neither \\ nor `', () => {
    expect(readDockerfile('# escape=`\n# escape=\\\nFROM scratch\n').errors).toEqual([{ line: 2, message: 'only one escape parser directive may be used' }]);
    expect(readDockerfile('# escape=x\nFROM scratch\n').errors[0]!.message).toMatch(/^invalid escape character "x"/);
  });

  it("keeps a heredoc's lines in the instruction that opens it, never as instructions of their own", () => {
    const file = readDockerfile('FROM scratch\nCOPY <<EOF /etc/x\nRUN curl http://example.com\nEOF\nRUN <<-"END" bash\n\techo hi\n\tEND\nUSER 1\n');
    expect(file.instructions.map((i) => [i.line, i.keyword])).toEqual([
      [1, 'FROM'],
      [2, 'COPY'],
      [5, 'RUN'],
      [8, 'USER'],
    ]);
    expect(file.instructions[1]!.heredocs).toEqual([{ word: 'EOF', stripTabs: false, body: 'RUN curl http://example.com\n', line: 3 }]);
    expect(file.instructions[2]!.heredocs).toEqual([{ word: 'END', stripTabs: true, body: '\techo hi\n', line: 6 }]);
  });

  it('reads two heredocs of one instruction one after the other, and names one never terminated', () => {
    const file = readDockerfile('FROM scratch\nCOPY <<A <<B /d/\na\nA\nb\nB\nRUN <<X\necho\n');
    expect(file.instructions[1]!.heredocs.map((h) => [h.word, h.body])).toEqual([
      ['A', 'a\n'],
      ['B', 'b\n'],
    ]);
    expect(file.errors).toEqual([{ line: 7, message: 'the heredoc <<X opened here is never terminated' }]);
  });

  it('opens heredocs only where the engines do (RUN, COPY, ADD)', () => {
    expect(keywords('FROM scratch\nLABEL x=<<EOF\nRUN y\n')).toEqual([
      [1, 'FROM', 'scratch'],
      [2, 'LABEL', 'x=<<EOF'],
      [3, 'RUN', 'y'],
    ]);
  });
});

describe('splitFlags and argumentList', () => {
  it('splits leading flags from the arguments', () => {
    expect(splitFlags('--from=build --chown=1:1 --link a b')).toEqual({ flags: [{ name: 'from', value: 'build' }, { name: 'chown', value: '1:1' }, { name: 'link' }], rest: 'a b' });
    expect(splitFlags('a --from=x b')).toEqual({ flags: [], rest: 'a --from=x b' });
  });

  it('reads the JSON form and the shell form', () => {
    expect(argumentList('["a b", "c"]')).toEqual(['a b', 'c']);
    expect(argumentList('"a" \'b\'   c')).toEqual(['a', 'b', 'c']);
    expect(argumentList('[not json')).toEqual(['[not', 'json']);
    expect(argumentList('  ')).toEqual([]);
  });
});
