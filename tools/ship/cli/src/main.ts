import { parseArgs } from 'node:util';
import { configSecrets, readConfig } from '@bllvm/contract';
import { redactCredentials } from '@bllvm/manifest';
import { withRunLock } from '@bllvm/orchestrator';
import type { Command, CommandContext } from './command';
import { commands } from './commands';
import { describeFailure } from './failure';
import { findWorkspaceRoot } from './workspace';

const PROGRAM = 'bllvm-release';

function topUsage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `usage: ${PROGRAM} <command> [options]`,
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run 'npm run cli -- <command> --help' for a command's options.`,
  ].join('\n');
}

/** Runs one invocation and returns its exit code: 0 ok, 1 failure, 2 usage. */
export async function runCli(argv: string[], ctx: Omit<CommandContext, 'workspaceRoot' | 'config'> & { cwd: string }): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? ctx.out : ctx.err)(topUsage());
    return name ? 0 : 2;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    ctx.err(`${PROGRAM}: unknown command "${name.slice(0, 80)}"\n\n${topUsage()}`);
    return 2;
  }
  const usage = `usage: ${PROGRAM} ${command.usage}`;
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.out(`${command.summary}\n\n${usage}`);
    return 0;
  }
  // Until the configuration is read, only shapes are known; then its secret values too. Every line
  // the command prints goes through here, so not even a token pasted as an argument is echoed.
  let secrets: string[] = [];
  const out = (l: string) => ctx.out(redactCredentials(l, secrets));
  const err = (l: string) => ctx.err(redactCredentials(l, secrets));
  try {
    const parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    const workspaceRoot = findWorkspaceRoot(ctx.cwd);
    const config = readConfig(workspaceRoot, ctx.env);
    secrets = configSecrets(config);
    const run = () => command.run(parsed as { values: Record<string, unknown>; positionals: string[] }, { ...ctx, out, err, workspaceRoot, config });
    if (!command.exclusive) return await run();
    const lock = { command: redactCredentials([name, ...rest].join(' '), secrets).slice(0, 200), waitMs: config.runLockWaitMs, progress: (l: string) => err(`${PROGRAM} ${name}: ${l}`) };
    return await withRunLock(workspaceRoot, lock, run);
  } catch (e) {
    const failure = describeFailure(e);
    err(`${PROGRAM} ${name}: ${failure.text}${failure.showUsage ? `\n\n${usage}` : ''}`);
    return failure.exitCode;
  }
}

/** The process entry point (tools/ship/cli/bin/bllvm-release.cjs runs it from the bundle Nx builds). */
export function main(argv: string[]): void {
  runCli(argv, {
    cwd: process.cwd(),
    env: process.env,
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
  }).then((code) => {
    process.exitCode = code;
  });
}
