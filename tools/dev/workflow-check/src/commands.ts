import type { SimpleCommand } from './shell';

/** Where output goes without anyone depending on it. */
const NOWHERE = /^(?:\/dev\/(?:null|stderr|stdout|tty)|\$\{?GITHUB_STEP_SUMMARY\}?|&?[12])$/;

/** Whether a command's output is redirected to a file (not /dev/null, the step summary or another descriptor). */
export function writesFile(cmd: SimpleCommand): boolean {
  return cmd.redirects.some((r) => ['>', '>>', '>|', '&>', '&>>'].includes(r.op) && r.target !== undefined && !NOWHERE.test(r.target.text));
}

/**
 * What a command runs, read past the wrappers that only change how it runs (`sudo`, `env X=1`,
 * `timeout 60`, `xargs -r`, `rustup run stable`…), and what that means for the rules: whether it
 * runs component code, and whether its failure can be let pass.
 */
export interface Invoked {
  name: string;
  args: string[];
}

const WRAPPER_OPTIONS_WITH_VALUE: Record<string, Set<string>> = {
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U']),
  env: new Set(['-u', '-C', '-S']),
  nice: new Set(['-n']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  xargs: new Set(['-I', '-n', '-P', '-L', '-d', '-E', '-s', '-a']),
  stdbuf: new Set(),
  nohup: new Set(),
  exec: new Set(['-a']),
  time: new Set(),
};

export function invoked(cmd: SimpleCommand): Invoked | undefined {
  let words = cmd.words.map((w) => w.text);
  for (;;) {
    const [head, ...rest] = words;
    if (head === undefined) return undefined;
    const options = WRAPPER_OPTIONS_WITH_VALUE[head];
    if (options) {
      let i = 0;
      while (i < rest.length && (rest[i]!.startsWith('-') || (head === 'env' && /^[A-Za-z_]\w*=/.test(rest[i]!)))) i += options.has(rest[i]!) ? 2 : 1;
      if (head === 'timeout') i++; // the duration
      words = rest.slice(i);
      continue;
    }
    if (head === 'command' && rest[0] !== '-v' && rest[0] !== '-V') {
      words = rest;
      continue;
    }
    if (head === 'rustup' && rest[0] === 'run') {
      words = rest.slice(2);
      continue;
    }
    const name = /^\/(?:usr\/)?(?:local\/)?s?bin\//.test(head) ? head.replace(/^.*\//, '') : head;
    return { name, args: rest };
  }
}

/** The first argument that is not an option (cargo's `+toolchain` counts as one). */
function subcommand(args: string[], optionsWithValue: Set<string> = new Set()): { sub: string | undefined; rest: string[] } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (optionsWithValue.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-') || a.startsWith('+')) continue;
    return { sub: a, rest: args.slice(i + 1) };
  }
  return { sub: undefined, rest: [] };
}

const CARGO_GLOBAL_OPTIONS = new Set(['-Z', '-C', '--config', '--manifest-path', '--color']);
/** cargo subcommands that compile the crate, so run its build scripts and proc macros, or run its code. */
const CARGO_BUILDS = new Set([
  'build', 'b', 'check', 'c', 'test', 't', 'bench', 'run', 'r', 'doc', 'd', 'clippy', 'fix', 'rustc', 'rustdoc',
  'fuzz', 'miri', 'kani', 'llvm-cov', 'tarpaulin', 'nextest', 'careful', 'hack', 'mutants', 'semver-checks', 'expand', 'udeps', 'criterion',
]);
const NPM_RUNS = new Set(['ci', 'install', 'i', 'add', 'test', 't', 'run', 'run-script', 'exec', 'x', 'rebuild', 'start']);
const INTERPRETERS = new Set(['bash', 'sh', 'dash', 'zsh', 'python', 'python3', 'node', 'perl', 'ruby', 'source', '.']);

/**
 * What in the command runs component code, or undefined. cargo counts when it compiles or runs
 * the crate (`cargo package --list`, `cargo metadata`, `cargo login`, `cargo search` do not),
 * image builds count everywhere; in a component repository so do its own scripts, Makefile and
 * npm packages, which are the component's code.
 */
export function componentCodeIn(inv: Invoked, owner: 'orchestrator' | 'component'): string | undefined {
  const { name, args } = inv;
  if (name === 'cargo' || name === 'cross') {
    const { sub, rest } = subcommand(args, CARGO_GLOBAL_OPTIONS);
    if (sub === undefined) return undefined;
    if (CARGO_BUILDS.has(sub)) return name;
    if (sub === 'publish' && !rest.includes('--no-verify')) return 'cargo';
    if (sub === 'package' && !rest.some((a) => a === '--list' || a === '-l' || a === '--no-verify')) return 'cargo';
    if (sub === 'install' && rest.includes('--path')) return 'cargo';
    return undefined;
  }
  if ((name === 'docker' || name === 'podman') && imageBuild(args)) return 'docker build';
  if (name === 'buildah' && ['bud', 'build'].includes(args[0] ?? '')) return 'docker build';
  if (name === 'go' && ['build', 'test', 'run', 'generate', 'install'].includes(args[0] ?? '')) return `go ${args[0]}`;
  if (owner === 'orchestrator') return undefined;
  if (['make', 'gmake', 'ninja', 'just'].includes(name)) return name;
  if (name === 'cmake' && args.includes('--build')) return 'cmake --build';
  if (name === 'npm' && NPM_RUNS.has(args[0] ?? '')) return `npm ${args[0]}`;
  if ((name === 'yarn' || name === 'pnpm') && (args.length === 0 || !['--version', '-v', 'config', 'cache', 'info', 'why', 'list'].includes(args[0]!))) return args.length ? `${name} ${args[0]}` : name;
  if (isCheckoutPath(name)) return name;
  if (INTERPRETERS.has(name) && !args.includes('-c')) {
    const script = args.find((a) => !a.startsWith('-'));
    if (script !== undefined && isCheckoutPath(script) && /\.(?:sh|bash|py|js|mjs|cjs|ts|pl|rb)$|\//.test(script)) return `${name} ${script}`;
  }
  return undefined;
}

function imageBuild(args: string[]): boolean {
  const [a, b] = args;
  return a === 'build' || (a === 'buildx' && b === 'build') || (a === 'image' && b === 'build') || (a === 'compose' && args.includes('build'));
}

/** A relative path to a file: something the checkout holds (not a command found on PATH, not an absolute system path). */
function isCheckoutPath(word: string): boolean {
  return !word.startsWith('/') && !word.startsWith('$') && !word.startsWith('~') && word.includes('/') && !/^[a-z][\w+.-]*:\/\//i.test(word);
}

// ---------------------------------------------------------------------------------------------

/** Commands whose failure loses nothing: cleanup of what may not be there, answers, and reports. */
const CLEANUP = new Set(['rm', 'rmdir', 'unlink', 'kill', 'pkill', 'killall', 'umount', 'fusermount', 'wait', 'sleep', 'deactivate', 'mkdir', 'touch']);
/** Their status is an answer (no match, differ, absent), not a failure. */
const ANSWERS = new Set(['grep', 'egrep', 'fgrep', 'rg', 'diff', 'cmp', 'test', '[', '[[', 'type', 'which', 'hash', 'pgrep', 'ls', 'stat', 'id', 'getent', 'read']);
/** They print; nothing else depends on them, unless what they print goes to a file (`awk … > Cargo.toml.tmp`). */
const REPORTS = new Set([
  'cat', 'df', 'du', 'free', 'uptime', 'ps', 'date', 'env', 'printenv', 'whoami', 'hostname',
  'uname', 'nproc', 'lscpu', 'sort', 'uniq', 'cut', 'tr', 'head', 'tail', 'wc', 'awk', 'jq', 'tee', 'column', 'basename', 'dirname',
  'sha256sum', 'sha512sum', 'md5sum', 'base64', 'yes', 'seq', 'fold', 'rev', 'nl', 'xxd', 'od', 'file', 'tree', 'realpath', 'readlink',
]);
const GIT_READS = new Set(['log', 'status', 'diff', 'show', 'describe', 'rev-parse', 'rev-list', 'ls-files', 'shortlog', 'for-each-ref', 'merge-base', 'show-ref', 'cat-file', 'blame', 'grep']);
const DOCKER_CLEANUP = new Set(['rm', 'rmi', 'stop', 'kill', 'logout', 'pull']);
const DOCKER_READS = new Set(['ps', 'images', 'info', 'version', 'inspect', 'logs']);

/** Cannot fail in any way that matters. */
const PRINTS = new Set(['echo', 'printf', 'true', ':', 'yes']);

/**
 * Whether letting this command fail loses nothing: cleanup of what may not be there, a command
 * whose status is an answer, or a report nothing else reads. `writesFile`: its output is
 * redirected to a file someone may read next.
 */
export function failureLosesNothing(inv: Invoked, writesFile = false): boolean {
  const { name, args } = inv;
  if (PRINTS.has(name) || CLEANUP.has(name)) return true;
  // Filling or restoring a cache: a failure costs time on the next run, not correctness.
  if (['rsync', 'cp', 'tar', 'mv'].includes(name) && args.some((a) => /(?:^|[/_$.{-])cache(?:[/_}.-]|s?$|_dir)/i.test(a))) return true;
  if (writesFile) return false;
  if (ANSWERS.has(name) || REPORTS.has(name)) return true;
  if (name === 'sed') return !args.some((a) => /^-[a-zA-Z]*i/.test(a) || a.startsWith('--in-place'));
  if (name === 'find') return findLosesNothing(args);
  if (name === 'command') return args[0] === '-v' || args[0] === '-V';
  if (name === 'git') return gitLosesNothing(args);
  if (name === 'docker' || name === 'podman') {
    const [a, b] = args;
    if (DOCKER_CLEANUP.has(a ?? '') || DOCKER_READS.has(a ?? '')) return true;
    if (['container', 'image', 'network', 'volume', 'builder', 'system'].includes(a ?? '')) return ['rm', 'prune', 'ls', 'inspect', 'df'].includes(b ?? '');
    return false;
  }
  // gh: a query's status is an answer, a deletion of what may not be there is cleanup.
  if (name === 'gh') return (args[0] === 'auth' && args[1] === 'status') || ['view', 'list', 'status', 'delete', 'delete-asset'].includes(args[1] ?? '');
  if (name === 'cargo') return args.includes('--version') || args.includes('-V') || args[0] === 'clean';
  if (name === 'rustc' || name === 'rustup' || name === 'node' || name === 'npm' || name === 'python3' || name === 'python') return args.length === 1 && ['--version', '-V', '-v', '-vV', '-Vv'].includes(args[0]!);
  return false;
}

/** find: as harmless as each command it runs with -exec (`-exec rm -rf {} +` is cleanup). */
function findLosesNothing(args: string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(args[i]!)) continue;
    const end = args.findIndex((a, j) => j > i && (a === ';' || a === '+'));
    const [name, ...rest] = args.slice(i + 1, end < 0 ? undefined : end);
    if (name === undefined || !failureLosesNothing({ name, args: rest })) return false;
    if (end < 0) break;
    i = end;
  }
  return true;
}

function gitLosesNothing(args: string[]): boolean {
  const { sub, rest } = subcommand(args, new Set(['-C', '-c']));
  if (sub === undefined) return false;
  if (GIT_READS.has(sub)) return true;
  // Deleting what may not exist: a local branch or tag, a remote, a worktree, a stash entry, a remote ref.
  if (sub === 'branch' || sub === 'tag') return rest.length === 0 || rest.some((a) => ['-d', '-D', '--delete', '-l', '--list', '-a', '-r', '--contains', '--points-at'].includes(a));
  if (sub === 'remote') return ['remove', 'rm', '-v', 'get-url'].includes(rest[0] ?? '') || rest.length === 0;
  if (sub === 'worktree') return ['remove', 'prune', 'list'].includes(rest[0] ?? '');
  if (sub === 'stash') return ['drop', 'clear', 'list'].includes(rest[0] ?? '');
  if (sub === 'config') return rest.some((a) => a === '--unset' || a === '--unset-all' || a === '--remove-section' || a === '--get' || a === '--list' || a === '-l');
  if (sub === 'push') return rest.includes('--delete') || rest.includes('-d') || rest.filter((a) => !a.startsWith('-')).slice(1).some((r) => r.startsWith(':'));
  return false;
}
