import { describe, expect, it } from 'vitest';
import { runScriptsOf } from './run-script';
import { readWorkflowSource } from './workflow-file';

const wf = (steps: string, extra = '') =>
  readWorkflowSource('w.yml', `on: push\n${extra}jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`);

/** Where each occurrence of `needle` in the script text sits in the file. */
function positionsOf(w: ReturnType<typeof wf>, needle: string) {
  return runScriptsOf(w).flatMap((s) => {
    const found = [];
    for (let i = s.text.indexOf(needle); i >= 0; i = s.text.indexOf(needle, i + 1)) found.push(s.positionAt(i));
    return found;
  });
}

describe('runScriptsOf', () => {
  it('gives a literal block without its header and indentation, each offset at its line and column in the file', () => {
    const w = wf('      - run: |\n          echo a\n            indented | tee x\n\n          last\n');
    const [s] = runScriptsOf(w);
    expect(s!.text).toBe('echo a\n  indented | tee x\n\nlast\n');
    expect(positionsOf(w, 'echo')).toEqual([{ line: 7, column: 11 }]);
    expect(positionsOf(w, 'indented')).toEqual([{ line: 8, column: 13 }]);
    expect(positionsOf(w, 'last')).toEqual([{ line: 10, column: 11 }]);
  });

  it('folds a folded block as YAML does, keeping positions', () => {
    const w = wf('      - run: >-\n          cargo test\n          --all\n\n          echo done\n');
    expect(runScriptsOf(w)[0]!.text).toBe('cargo test --all\n\necho done\n');
    expect(positionsOf(w, '--all')).toEqual([{ line: 8, column: 11 }]);
    expect(positionsOf(w, 'echo')).toEqual([{ line: 10, column: 11 }]);
  });

  it('places plain and quoted one-liners', () => {
    const w = wf("      - run: cargo test | tee log # a YAML comment\n      - run: 'echo ''quoted'''\n");
    const [plain, quoted] = runScriptsOf(w);
    expect(plain!.text).toBe('cargo test | tee log');
    expect(plain!.positionAt(plain!.text.indexOf('tee'))).toEqual({ line: 6, column: 27 });
    expect(quoted!.text).toBe("echo 'quoted'");
    expect(quoted!.positionAt(0)).toEqual({ line: 7, column: 15 });
  });

  it("knows each step's shell as GitHub runs it", () => {
    const shells = (w: ReturnType<typeof wf>) => runScriptsOf(w).map((s) => [s.shell.name, s.shell.errexit, s.shell.pipefail, s.parsed !== undefined]);
    expect(shells(wf('      - run: a\n      - run: b\n        shell: bash\n      - run: c\n        shell: sh\n      - run: d\n        shell: bash --noprofile --norc -eo pipefail {0}\n      - run: e\n        shell: bash {0}\n      - run: f\n        shell: pwsh\n'))).toEqual([
      ['bash -e {0}', true, false, true],
      ['bash', true, true, true],
      ['sh', true, false, true],
      ['bash --noprofile --norc -eo pipefail {0}', true, true, true],
      ['bash {0}', false, false, true],
      ['pwsh', false, false, false],
    ]);
    expect(shells(wf('      - run: a\n', 'defaults:\n  run:\n    shell: bash\n'))).toEqual([['bash', true, true, true]]);
    expect(shells(readWorkflowSource('w.yml', 'on: push\njobs:\n  a:\n    runs-on: windows-latest\n    steps:\n      - run: dir | more\n'))).toEqual([['pwsh', false, false, false]]);
  });
});
