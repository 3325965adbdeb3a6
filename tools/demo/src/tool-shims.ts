import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export interface ToolShims {
  /** Prepend to PATH. */
  binDir: string;
  /** Invocations so far: tool, working directory and arguments. Nx's own `cargo -V` hashing calls are excluded unless `all`. */
  calls(opts?: { all?: boolean }): Promise<{ tool: string; cwd: string; args: string }[]>;
  reset(): Promise<void>;
}

/**
 * Wrappers that log every cargo and docker invocation and then run the real tool, so a test
 * can prove that a warm run invoked neither — without changing the code under test.
 */
export async function installToolShims(dir: string, tools = ['cargo', 'docker']): Promise<ToolShims> {
  const binDir = join(dir, 'bin');
  const log = join(dir, 'calls.log');
  await mkdir(binDir, { recursive: true });
  await writeFile(log, '');
  for (const tool of tools) {
    const real = (await execa('sh', ['-c', `command -v ${tool}`])).stdout.trim();
    const script = `#!/bin/sh\nprintf '%s\\t%s\\t%s\\n' '${tool}' "$PWD" "$*" >> '${log}'\nexec '${real}' "$@"\n`;
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
    reset: () => writeFile(log, ''),
  };
}
