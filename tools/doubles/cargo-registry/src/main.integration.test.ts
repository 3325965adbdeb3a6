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

describe('cargo-registry as a separate process', () => {
  it('prints its URL and pid, serves the seeded index, takes the token from the environment, and exits on SIGTERM', async () => {
    const token = 'cio_process_secret_4d1e';
    const child = spawn(process.execPath, [TSX, MAIN, '--port', '0', '--seed'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BLLVM_CARGO_REGISTRY_TOKEN: token },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout });
        rl.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`registry exited early (${code}): ${stderr}`)));
      });
      const { url, pid } = JSON.parse(line) as { url: string; pid: number };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      expect(await (await fetch(`${url}/index/config.json`)).json()).toEqual({ dl: `${url}/api/v1/crates`, api: url });
      expect(await (await fetch(`${url}/index/3/m/mid`)).text()).toMatch(/^\{"name":"mid","vers":"0\.3\.1"/);
      expect((await fetch(`${url}/api/v1/crates/mid/0.3.1/yank`, { method: 'DELETE', headers: { authorization: 'wrong' } })).status).toBe(403);
      expect((await fetch(`${url}/api/v1/crates/mid/0.3.1/yank`, { method: 'DELETE', headers: { authorization: token } })).status).toBe(200);
      const log = (await (await fetch(`${url}/_log`)).json()) as { requests: { operation: string | null; status: number }[] };
      expect(log.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['config 200', 'index 200', 'yank 403', 'yank 200']);

      process.kill(pid, 'SIGTERM');
      expect(await exited).toBe(0);
      await expect.poll(() => alive(pid), { timeout: 5000 }).toBe(false);
      expect(stderr).not.toContain(token);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a bad port with a one-line error', async () => {
    const child = spawn(process.execPath, [TSX, MAIN, '--port', '70000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toBe('cargo-registry: --port must be 0..65535, got 70000\n');
  });
});
