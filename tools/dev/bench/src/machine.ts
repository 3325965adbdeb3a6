import { readFile } from 'node:fs/promises';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  node: string;
  rustc: string;
  cargo: string;
  nx: string;
  git: string;
  podman: string;
}

async function version(cmd: string, args: string[]): Promise<string> {
  const r = await execa(cmd, args, { reject: false });
  return r.exitCode === 0 ? String(r.stdout).split('\n')[0]!.trim() : 'unavailable';
}

export async function describeMachine(workspaceRoot: string): Promise<Machine> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const nxPkg = JSON.parse(await readFile(join(workspaceRoot, 'node_modules', 'nx', 'package.json'), 'utf8')) as { version: string };
  return {
    cpuModel: model,
    cores: cpus().length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    rustc: await version('rustc', ['-V']),
    cargo: await version('cargo', ['-V']),
    nx: nxPkg.version,
    git: await version('git', ['--version']),
    podman: await version('podman', ['--version']),
  };
}
