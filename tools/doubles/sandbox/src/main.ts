/**
 * Command line for the sandbox org. Exit codes: 0 ok, 1 the operation failed, 2 bad usage.
 *   npx tsx tools/doubles/sandbox/src/main.ts create <dir> [--size N] [--profile seed|real]
 */
import { parseArgs } from 'node:util';
import { isSandboxComponent, type SandboxFault } from './components';
import { VERIFY_CRATES } from './crates';
import {
  REAL_REPOSITORY_NAMES,
  SANDBOX_COMPONENTS,
  addCommit,
  createSandboxOrg,
  openSandboxOrg,
  setFault,
  type SandboxOrg,
} from './index';

const USAGE = `usage: sandbox <command> [options]

  create <dir> [--size N] [--profile seed|real]  create the org under <dir>/BTCDecoded/ (N generated modules per
                                               crate; --size only for the default profile, seed)
  commit <dir> <component> [-m msg] [--branch b]  add a commit (default: bump src/revision.rs) and print its id
  fault <dir> <component> build|test|verify|none  commit an injected fault, or remove it with none
  heads <dir>                                  print the head of main of each repository
  --help                                       show this help

components (seed profile): ${SANDBOX_COMPONENTS.join(', ')}
repositories (real profile): ${REAL_REPOSITORY_NAMES.join(', ')}`;

class UsageError extends Error {}

const FAULTS: Record<string, SandboxFault | null> = { build: 'build', test: 'test', verify: 'verify', none: null };

function printHeads(org: SandboxOrg<string>): void {
  console.log(`gitBaseUrl ${org.gitBaseUrl}`);
  for (const c of org.repositories) console.log(`${org.heads[c]} ${c}`);
}

function positionals(list: string[], names: string[]): string[] {
  if (list.length !== names.length) {
    throw new UsageError(`expected ${names.map((n) => `<${n}>`).join(' ')}, got ${list.length} argument(s)`);
  }
  return list;
}

/** A repository name of either profile; whether the org at hand has it is checked once it is open. */
function component(name: string | undefined): string {
  if (name === undefined || !(isSandboxComponent(name) || (REAL_REPOSITORY_NAMES as readonly string[]).includes(name))) {
    throw new UsageError(
      `unknown component ${JSON.stringify(name)}; expected one of ${SANDBOX_COMPONENTS.join(', ')} (seed profile) or ${REAL_REPOSITORY_NAMES.join(', ')} (real profile)`,
    );
  }
  return name;
}

async function run(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        size: { type: 'string' },
        profile: { type: 'string' },
        message: { type: 'string', short: 'm' },
        branch: { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals: [command, ...rest] } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const allowed: Record<string, string[]> = { create: ['size', 'profile'], commit: ['message', 'branch'], fault: [], heads: [] };
  if (command === undefined) throw new UsageError('missing command');
  const options = Object.hasOwn(allowed, command) ? allowed[command] : undefined;
  if (!options) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  for (const key of Object.keys(values)) {
    if (!options.includes(key)) throw new UsageError(`option --${key} does not apply to ${command}`);
  }

  switch (command) {
    case 'create': {
      const [dir] = positionals(rest, ['dir']) as [string];
      const profile = values.profile ?? 'seed';
      if (profile === 'real') {
        if (values.size !== undefined) throw new UsageError("--size applies only to the seed profile");
        printHeads(await createSandboxOrg({ dir, profile: 'real' }));
        return;
      }
      if (profile !== 'seed') throw new UsageError(`unknown profile ${JSON.stringify(profile)}; expected seed or real`);
      const size = values.size ?? '0';
      if (!/^\d+$/.test(size)) throw new UsageError(`--size must be a whole number, got ${size}`);
      printHeads(await createSandboxOrg({ dir, size: Number(size) }));
      return;
    }
    case 'commit': {
      const [dir, name] = positionals(rest, ['dir', 'component']) as [string, string];
      const c = component(name);
      const org = await openSandboxOrg(dir);
      console.log(await addCommit(org, c, { message: values.message, branch: values.branch }));
      return;
    }
    case 'fault': {
      const [dir, name, kind] = positionals(rest, ['dir', 'component', 'kind']) as [string, string, string];
      if (!Object.hasOwn(FAULTS, kind)) {
        throw new UsageError(`unknown fault ${JSON.stringify(kind)}; expected build, test, verify or none`);
      }
      const c = component(name);
      if (kind === 'verify' && !VERIFY_CRATES.has(c)) {
        throw new UsageError(
          'a verify fault applies only to bllvm-consensus (blvm-consensus in the real profile), the one crate with a verify feature',
        );
      }
      const org = await openSandboxOrg(dir);
      console.log(await setFault(org, c, FAULTS[kind] ?? null));
      return;
    }
    case 'heads': {
      const [dir] = positionals(rest, ['dir']) as [string];
      printHeads(await openSandboxOrg(dir));
      return;
    }
  }
}

run(process.argv.slice(2)).then(
  () => {
    process.exitCode = 0;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      console.error(`sandbox: ${e.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(`sandbox: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    }
  },
);
