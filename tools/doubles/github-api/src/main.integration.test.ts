import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../../node_modules/tsx/dist/cli.mjs', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('github-api as a separate process', () => {
  it('prints its URL and pid, serves requests, and exits when that pid is sent SIGTERM', async () => {
    const token = 'ghp_processtest_secret';
    // The tsx CLI runs main.ts in a child node process; the pid printed is that server process.
    const child = spawn(process.execPath, [TSX, MAIN, '--port', '0', '--token', token], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout });
        rl.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${stderr}`)));
      });
      const { url, pid } = JSON.parse(line) as { url: string; pid: number };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const res = await fetch(`${url}/repos/BTCDecoded/bllvm/releases`, { headers: { authorization: `token ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([]);
      const log = (await (await fetch(`${url}/_log`)).json()) as { requests: { mutating: boolean }[] };
      expect(log.requests).toHaveLength(1);
      expect(log.requests.filter((r) => r.mutating)).toHaveLength(0);

      process.kill(pid, 'SIGTERM');
      expect(await exited).toBe(0);
      await expect.poll(() => alive(pid), { timeout: 5000 }).toBe(false);
      expect(stderr).not.toContain(token);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
