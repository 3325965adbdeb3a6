import { parseArgs } from 'node:util';
import { ManifestError, ManifestErrors } from '@bllvm/manifest';
import { SourcesError } from '@bllvm/sources';
import { type Command, CommandError, type CommandContext, UsageError } from './command';
import { commands } from './commands';
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
    `Run '${PROGRAM} <command> --help' for a command's options.`,
  ].join('\n');
}

/** Runs one invocation and returns its exit code: 0 ok, 1 failure, 2 usage. */
export async function runCli(argv: string[], ctx: Omit<CommandContext, 'workspaceRoot'> & { cwd: string }): Promise<number> {
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
  try {
    const parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    const workspaceRoot = findWorkspaceRoot(ctx.cwd);
    return await command.run(parsed as { values: Record<string, unknown>; positionals: string[] }, { ...ctx, workspaceRoot });
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      ctx.err(`${PROGRAM} ${name}: ${(e as Error).message}\n\n${usage}`);
      return 2;
    }
    if (e instanceof CommandError || e instanceof ManifestError || e instanceof ManifestErrors || e instanceof SourcesError) {
      ctx.err(`${PROGRAM} ${name}: ${e.message}`);
      return 1;
    }
    ctx.err(`${PROGRAM} ${name}: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}

/** The process entry point (tools/cli/bin/bllvm-release.cjs runs it from the bundle Nx builds). */
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
