/**
 * Commands the demo prints for a person to run, as they run them from a checkout after the
 * README's set-up (`bash tools/setup/install.sh; npm test`): the CLI is `npm run cli -- …` there,
 * not a `bllvm-release` on the PATH. The demo runs the same argv it prints. Pure.
 */

/** One shell word: as it is when the shell would read it back unchanged, else single-quoted. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The CLI with `args`, run from the checkout's root: the argv to run and the line to print. */
export function cliCommand(args: readonly string[]): { argv: [string, ...string[]]; line: string } {
  const argv: [string, ...string[]] = ['npm', 'run', 'cli', '--', ...args];
  return { argv, line: argv.map(shellWord).join(' ') };
}
