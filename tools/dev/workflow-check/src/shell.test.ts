import { describe, expect, it } from 'vitest';
import { parseShell, type Pipeline, type SimpleCommand, simpleCommandsOf, wordTexts } from './shell';

const commands = (text: string) => parseShell(text).commands.map((c) => ({ words: wordTexts(c).join(' '), depth: c.depth, inCondition: c.inCondition }));
const show = (p: Pipeline) => simpleCommandsOf(p).map((c) => wordTexts(c)[0] ?? `${c.assignments[0]?.name}=`).join(' | ');
const pipes = (text: string) => parseShell(text).pipelines.filter((p) => p.commands.length > 1);

describe('parseShell', () => {
  it('reads commands, words without their quotes, and the pipes between commands', () => {
    const script = `cargo test --all-features 2>&1 | tee "test output.txt"\necho 'a | b' "c | d" # e | f\n`;
    expect(commands(script)).toEqual([
      { words: 'cargo test --all-features', depth: 0, inCondition: false },
      { words: 'tee test output.txt', depth: 0, inCondition: false },
      { words: 'echo a | b c | d', depth: 0, inCondition: false },
    ]);
    const [p] = pipes(script);
    expect(p!.pipes).toEqual([script.indexOf('| tee')]);
    expect(pipes(script)).toHaveLength(1);
  });

  it('keeps the redirections of a command apart from its words', () => {
    const [cmd] = parseShell('cargo publish --dry-run > out.log 2>&1\n').commands;
    expect(wordTexts(cmd!)).toEqual(['cargo', 'publish', '--dry-run']);
    expect(cmd!.redirects.map((r) => [r.op, r.target?.text])).toEqual([['>', 'out.log'], ['>&', '1']]);
  });

  it('reads command substitutions one level down, with the command and variable that hold them', () => {
    const script = 'VERSIONS=$(git tag -l | grep "^v" || true)\nif [ -z "$(cargo search x | head -1)" ]; then exit 1; fi\n';
    const parsed = parseShell(script);
    const tag = parsed.commands.find((c) => wordTexts(c)[0] === 'git')!;
    expect(tag.depth).toBe(1);
    expect(tag.assignedTo).toBe('VERSIONS');
    const search = parsed.commands.find((c) => wordTexts(c)[0] === 'cargo')!;
    expect(search.depth).toBe(1);
    expect(wordTexts(search.owner!)[0]).toBe('[');
    expect(search.owner!.inCondition).toBe(true);
    expect(pipes(script).map((p) => p.depth)).toEqual([1, 1]);
  });

  it('tells condition commands from the commands of a body', () => {
    const script = 'if echo "$OUT" | grep -q ok; then\n  cargo build | tee log\nelif ! curl -sf x; then :; fi\nwhile ! cargo search x | grep -q y; do sleep 10; done\n';
    expect(commands(script).map((c) => `${c.words.split(' ')[0]}:${c.inCondition}`)).toEqual([
      'echo:true', 'grep:true', 'cargo:false', 'tee:false', 'curl:true', '::false', 'cargo:true', 'grep:true', 'sleep:false',
    ]);
  });

  it('links the pipelines of an and-or list', () => {
    const script = 'git commit -m x && git push origin HEAD || true\n';
    const ps = parseShell(script).pipelines;
    expect(ps.map(show)).toEqual(['git', 'git', 'true']);
    expect(ps[0]!.after?.op).toBe('&&');
    expect(ps[1]!.after).toMatchObject({ op: '||', at: script.indexOf('||') });
    expect(ps[2]!.before?.pipeline).toBe(ps[1]);
  });

  it('reads heredoc bodies as data, and only their substitutions as code', () => {
    const script = 'cat > notes.md <<EOF\n| crate | version |\n|---|---|\n$(git log --oneline | head -5)\nEOF\ncat <<\'RAW\'\n$(not code | here)\nRAW\necho done | tee -a x\n';
    const parsed = parseShell(script);
    expect(parsed.commands.map((c) => `${wordTexts(c).join(' ')}@${c.depth}`)).toEqual(['cat@0', 'git log --oneline@1', 'head -5@1', 'cat@0', 'echo done@0', 'tee -a x@0']);
    expect(wordTexts(parsed.commands[1]!.owner!)).toEqual(['cat']);
  });

  it('reads [[ ]] tests, arithmetic and case patterns as no pipes', () => {
    const script = '[[ "$A" == a || "$B" =~ ^(x|y)$ ]] && echo yes\n(( n = a | b ))\ncase "$V" in\n  a|b) echo ab ;;\n  *) cargo test | tee x ;;\nesac\n';
    expect(pipes(script).map(show)).toEqual(['cargo | tee']);
    expect(commands(script).map((c) => c.words.split(' ')[0])).toEqual(['[[', 'echo', '((', 'echo', 'cargo', 'tee']);
  });

  it('follows compound commands, loops and functions, and continuation lines', () => {
    const script = 'retry() {\n  for i in 1 2 3; do\n    "$@" && return 0\n    sleep $((i * 2))\n  done\n  return 1\n}\ncargo build \\\n  --release | tee build.log\n{ echo a; echo b; } >> "$GITHUB_OUTPUT"\n( cd sub && make ) || true\n';
    const parsed = parseShell(script);
    expect(parsed.commands.map((c) => wordTexts(c)[0])).toEqual(['$@', 'return', 'sleep', 'return', 'cargo', 'tee', 'echo', 'echo', 'cd', 'make', 'true']);
    const build = pipes(script)[0]!;
    expect(show(build)).toBe('cargo | tee');
    const sub = parsed.pipelines.find((p) => p.commands[0]!.kind === 'compound' && p.commands[0]!.keyword === '(')!;
    expect(sub.after?.op).toBe('||');
    expect((sub.commands[0] as { inner: SimpleCommand[] }).inner.map((c) => wordTexts(c)[0])).toEqual(['cd', 'make']);
  });

  it('reads substitutions in loop lists and in ${…} defaults', () => {
    const script = 'for v in $(git tag -l | sort -V); do echo "$v"; done\necho "${X:-$(date | tr -d x)}"\nwhile read -r l; do echo "$l"; done < <(cargo tree | grep x)\n';
    expect(pipes(script).map((p) => `${show(p)}@${p.depth}`)).toEqual(['git | sort@1', 'date | tr@1', 'cargo | grep@1']);
  });

  it('reads anything without throwing, what it cannot place it skips', () => {
    for (const broken of ['fi\nthen )\n', 'echo "unterminated | x', 'case x in a) echo', '$(', 'if true; then', 'esac ;; done }']) {
      expect(() => parseShell(broken)).not.toThrow();
    }
    expect(commands('fi\necho after | tee x\n').map((c) => c.words)).toEqual(['echo after', 'tee x']);
  });

  it('knows export and local assign', () => {
    const [cmd] = parseShell('export OUT=$(cargo metadata --format-version 1 || true)\n').commands;
    expect(cmd!.assignments.map((a) => a.name)).toEqual(['OUT']);
    expect(parseShell('export OUT=$(cargo metadata --format-version 1 || true)\n').commands[1]!.assignedTo).toBe('OUT');
  });
});
