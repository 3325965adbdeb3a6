/**
 * `npm run lint:workflows -- [paths…] [--format text|sarif|github] [--output FILE]` (cli.ts).
 */
import { runCli } from './cli';

process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.env.INIT_CWD ?? process.cwd(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
