// The Rust under tools/doubles/sandbox/rust is laid out as rustfmt (edition 2021, default style) writes it.
// Each file is formatted on its own, read from stdin (`mod generated;` and the other modules the
// sandbox adds resolve only in the assembled crate, which cargo.test.ts builds), and must come back
// unchanged. `rustfmt --check` is not used: on stdin it prints the diff but exits 0.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { SANDBOX_COMPONENTS } from './components';
import { rustFile, rustPaths } from './rust-files';

const SOURCES = rustPaths().filter((p) => p.endsWith('.rs'));

/** rustfmt's rendering of source; a parse error fails the call. */
async function rustfmt(source: string): Promise<string> {
  const r = await execa('rustfmt', ['--edition', '2021', '--emit', 'stdout'], { input: source, stripFinalNewline: false });
  return r.stdout;
}

describe('rustfmt over tools/doubles/sandbox/rust', () => {
  it('covers every crate, the shared files and the faults', () => {
    for (const c of SANDBOX_COMPONENTS) expect(SOURCES.some((p) => p.startsWith(`${c}/src/`))).toBe(true);
    expect(SOURCES).toEqual(expect.arrayContaining(['shared/fault.rs', 'shared/revision.rs', 'faults/build.rs', 'faults/verify.rs']));
  });

  it('changes a misformatted file and refuses one that does not parse, so a pass below means something', async () => {
    expect(await rustfmt('fn  main( ) { let x=1; }\n')).toBe('fn main() {\n    let x = 1;\n}\n');
    await expect(rustfmt('fn main( {\n')).rejects.toThrow(/unclosed delimiter/);
  });

  it.each(SOURCES)('%s is formatted', async (path) => {
    const source = rustFile(path);
    expect(await rustfmt(source)).toBe(source);
  });
});
