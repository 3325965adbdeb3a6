import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export interface ToolShims {
  /** Prepend to PATH. */
  binDir: string;
  /** Invocations so far: tool, working directory and arguments. Nx's own `cargo -V` hashing calls are excluded unless `all`. */
  calls(opts?: { all?: boolean }): Promise<{ tool: string; cwd: string; args: string }[]>;
  /** CPU time (user + sys, ms) of the tools' processes and their children since the last reset; 0 unless installed with `cpu`. */
  cpuMs(): Promise<number>;
  reset(): Promise<void>;
}

/**
 * Wrappers that log every cargo and docker invocation and then run the real tool, so a test
 * can prove that a warm run invoked neither — without changing the code under test. cargo runs
 * inside the build sandbox, where PATH is fixed, so the `bwrap` wrapper logs the command it is
 * asked to run (`cargo build …`) with the sandbox's working directory (`/src/<checkout>`).
 */
export async function installToolShims(dir: string, tools = ['cargo', 'docker', 'bwrap'], opts: { cpu?: boolean } = {}): Promise<ToolShims> {
  const binDir = join(dir, 'bin');
  const log = join(dir, 'calls.log');
  const cpuLog = join(dir, 'cpu.log');
  await mkdir(binDir, { recursive: true });
  await writeFile(log, '');
  await writeFile(cpuLog, '');
  // With `cpu`, GNU time runs the tool and appends its CPU seconds (the bench's compiler bound).
  const timed = opts.cpu ? `'/usr/bin/time' -q -a -o '${cpuLog}' -f '%U %S' ` : '';
  for (const tool of tools) {
    const real = (await execa('sh', ['-c', `command -v ${tool}`])).stdout.trim();
    const script = tool === 'bwrap' ? bwrapShim(log, opts.cpu ? cpuLog : undefined, real) : `#!/bin/sh\nprintf '%s\\t%s\\t%s\\n' '${tool}' "$PWD" "$*" >> '${log}'\nexec ${timed}'${real}' "$@"\n`;
    await writeFile(join(binDir, tool), script);
    await chmod(join(binDir, tool), 0o755);
  }
  return {
    binDir,
    async calls(opts = {}) {
      const text = await readFile(log, 'utf8');
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const [tool, cwd, args] = l.split('\t') as [string, string, string];
          return { tool, cwd, args };
        })
        .filter((c) => opts.all || !(c.tool === 'cargo' && /^(-V|--version)$/.test(c.args.trim())));
    },
    async cpuMs() {
      let ms = 0;
      for (const line of (await readFile(cpuLog, 'utf8')).split('\n')) {
        const m = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(line.trim());
        if (m) ms += (Number(m[1]) + Number(m[2])) * 1000;
      }
      return Math.round(ms);
    },
    reset: async () => {
      await writeFile(log, '');
      await writeFile(cpuLog, '');
    },
  };
}

/**
 * The CPU of a sandboxed command, from the task's control group (libs/hermetic makes one per
 * sandbox run, and the shim runs inside it): bubblewrap's init reaps the command, so GNU time on
 * bwrap would see next to nothing. Nothing is logged outside a task's group (the sandbox probe).
 */
const CGROUP_CPU = (cpuLog: string) => [
  'cg=$(awk -F: \'$2 ~ /(^|,)cpuacct(,|$)/ {print $3}\' /proc/self/cgroup); f=""',
  'for d in /sys/fs/cgroup/cpuacct /sys/fs/cgroup/cpu,cpuacct; do [ -f "$d$cg/cpuacct.usage" ] && f="$d$cg/cpuacct.usage"; done',
  'case "$cg" in *bllvm-task-*) ;; *) f="";; esac',
  `if [ -n "$f" ]; then ns=$(cat "$f"); printf '%d.%09d 0\\n' $((ns / 1000000000)) $((ns % 1000000000)) >> '${cpuLog}'; fi`,
  'if [ -z "$f" ]; then cg=$(awk -F: \'$1 == "0" {print $3}\' /proc/self/cgroup)',
  `  case "$cg" in *bllvm-task-*) us=$(awk '$1 == "usage_usec" {print $2}' "/sys/fs/cgroup$cg/cpu.stat" 2>/dev/null); [ -n "$us" ] && printf '%d.%06d 0\\n' $((us / 1000000)) $((us % 1000000)) >> '${cpuLog}';; esac`,
  'fi',
];

/** Logs the command after `--` as its own tool (cargo), in the directory given by --chdir. */
function bwrapShim(log: string, cpuLog: string | undefined, real: string): string {
  return [
    '#!/bin/sh',
    'chdir=""; prev=""; n=0',
    'for a in "$@"; do n=$((n+1)); [ "$prev" = "--chdir" ] && chdir="$a"; [ "$a" = "--" ] && break; prev="$a"; done',
    // The sandbox's own shell (/bin/sh -c <check> bllvm-sandbox <tmpfs>) runs the command: log the command.
    'i=0; for a in "$@"; do i=$((i+1)); [ $i -eq $((n+4)) ] && [ "$a" = bllvm-sandbox ] && n=$((n+5)); done',
    'i=0; tool=""; rest=""',
    'for a in "$@"; do i=$((i+1)); [ $i -le $n ] && continue; if [ -z "$tool" ]; then tool=$(basename "$a"); else rest="$rest $a"; fi; done',
    `printf '%s\\t%s\\t%s\\n' "$tool" "$chdir" "\${rest# }" >> '${log}'`,
    ...(cpuLog ? [`'${real}' "$@"; s=$?`, ...CGROUP_CPU(cpuLog), 'exit $s'] : [`exec '${real}' "$@"`]),
    '',
  ].join('\n');
}
