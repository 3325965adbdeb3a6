import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVE_OPTIONS, USAGE } from './cli';
import { DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_UNAUTHENTICATED } from './server';
import { DEFAULT_FIRST_BYTE_TIMEOUT_MS, DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, defaultRequestTimeoutMs } from './timeouts';
import { hashToken } from './tokens';

/** The command as an operator runs it: a real process, signals included. */
const BIN = resolve(import.meta.dirname, '../bin/cache-server.cjs');
const BUNDLE = resolve(import.meta.dirname, '../dist/cache-server.cjs');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cache-server-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cache-server command', () => {
  it('--help says how to run it', async () => {
    const r = await execa(process.execPath, [BIN, '--help']);
    expect(r.stdout).toMatch(/^usage: cache-server --store DIR --tokens FILE/);
    expect(r.stdout).toContain('hash-token');
  });

  it('--help describes every option it accepts, with the defaults the server uses', () => {
    const described = new Set([...USAGE.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]));
    const accepted = Object.keys(SERVE_OPTIONS).filter((o) => o !== 'help');
    expect([...described].sort()).toEqual([...accepted].sort());
    const help = USAGE.replace(/\s+/g, ' ');
    expect(help).toContain(`--max-connections N connections with a valid token at once (default ${DEFAULT_MAX_CONNECTIONS};`);
    expect(help).toContain(`at once (default ${DEFAULT_MAX_UNAUTHENTICATED});`);
    expect(help).toContain(`--idle-timeout SECONDS drop a connection idle this long; default ${DEFAULT_IDLE_TIMEOUT_MS / 1000}`);
    expect(help).toContain(`silent this long; default ${DEFAULT_FIRST_BYTE_TIMEOUT_MS / 1000} `);
    expect(help).toContain(`after a later request's first byte); default ${DEFAULT_HEADERS_TIMEOUT_MS / 1000}`);
    expect(help).toContain(`(${defaultRequestTimeoutMs(DEFAULT_MAX_ENTRY_BYTES, DEFAULT_HEADERS_TIMEOUT_MS) / 1000} for 512M)`);
    expect(DEFAULT_MAX_ENTRY_BYTES).toBe(512 * 1024 ** 2);
  });

  it('refuses timeouts that contradict each other, or are not seconds (exit 2)', async () => {
    await writeFile(join(dir, 'tokens-t'), `write ${hashToken('w')}\n`);
    const serve = (...flags: string[]) => execa(process.execPath, [BIN, '--store', join(dir, 't'), '--tokens', join(dir, 'tokens-t'), '--listen', '127.0.0.1:0', ...flags], { reject: false, timeout: 30_000 });
    const inverted = await serve('--header-timeout', '20', '--request-timeout', '10');
    expect(inverted.exitCode).toBe(2);
    expect(inverted.stderr).toMatch(/header timeout \(20 s\) is longer than the request timeout \(10 s\)/);
    const notSeconds = await serve('--first-byte-timeout', '5s');
    expect(notSeconds.exitCode).toBe(2);
    expect(notSeconds.stderr).toMatch(/--first-byte-timeout takes a positive number of seconds/);
    const noBudget = await serve('--max-unauthenticated', '0');
    expect(noBudget.exitCode).toBe(2);
    expect(noBudget.stderr).toMatch(/--max-unauthenticated takes a positive whole number/);
  });

  it('hash-token prints the tokens-file line for a token on stdin, and never the token', async () => {
    const r = await execa(process.execPath, [BIN, 'hash-token', '--access', 'write'], { input: 'my-token\n' });
    expect(r.stdout).toBe(`write ${hashToken('my-token')}`);
    expect((await execa(process.execPath, [BIN, 'hash-token'], { input: 'my-token' })).stdout).toBe(`read ${hashToken('my-token')}`);
    const bad = await execa(process.execPath, [BIN, 'hash-token', '--access', 'admin'], { input: 'x', reject: false });
    expect(bad.exitCode).toBe(2);
  });

  it('refuses to start without a store or tokens, or with a plain token in the tokens file (exit 2)', async () => {
    const noTokens = await execa(process.execPath, [BIN, '--store', join(dir, 's')], { reject: false });
    expect(noTokens.exitCode).toBe(2);
    expect(noTokens.stderr).toMatch(/--tokens FILE is required/);
    await writeFile(join(dir, 'plain'), 'write my-plain-token\n');
    const plain = await execa(process.execPath, [BIN, '--store', join(dir, 's'), '--tokens', join(dir, 'plain')], { reject: false });
    expect(plain.exitCode).toBe(2);
    expect(plain.stderr).toMatch(/plain:1: not a token line/);
    expect(plain.stderr).not.toContain('my-plain-token');
  });

  it('serves: one line with its URL when ready, tokens re-read on SIGHUP, a clean stop on SIGTERM', async () => {
    const tokens = join(dir, 'tokens');
    await writeFile(tokens, `write ${hashToken('w1')}\n`);
    const child = execa(process.execPath, [BIN, '--store', join(dir, 'store'), '--tokens', tokens, '--listen', '127.0.0.1:0', '--max-entry-bytes', '1M', '--first-byte-timeout', '0.5', '--header-timeout', '1'], { reject: false });
    const url = await new Promise<string>((ok, fail) => {
      child.stdout!.on('data', (d: Buffer) => {
        const m = /^cache-server listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(d.toString());
        if (m) ok(m[1]!);
      });
      child.once('exit', () => fail(new Error('exited before listening')));
    });
    const put = (token: string, size = 10) => fetch(`${url}/v1/cache/123`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: Buffer.alloc(size) }).then((r) => r.status);
    expect(await put('w1', (1 << 20) + 1)).toBe(413);
    expect(await put('w2')).toBe(401);
    await writeFile(tokens, `write ${hashToken('w2')}\n`);
    const reread = new Promise<void>((ok) => child.stderr!.on('data', (d: Buffer) => d.toString().includes('tokens re-read') && ok()));
    child.kill('SIGHUP');
    await reread;
    expect(await put('w2')).toBe(200);
    // The timeouts given on the command line are the ones applied: a silent connection goes in 0.5 s.
    const silentFor = await new Promise<number>((done) => {
      const c = connect(Number(new URL(url).port), '127.0.0.1', () => {
        const at = Date.now();
        c.once('close', () => done(Date.now() - at));
      });
      c.on('error', () => {});
      setTimeout(() => c.destroy(), 10_000);
    });
    expect(silentFor).toBeGreaterThanOrEqual(450);
    expect(silentFor).toBeLessThan(2000);
    child.kill('SIGTERM');
    const r = await child;
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/stopped \(0 hits, 0 misses, 1 writes, .*; connections dropped before showing a token: 1\)/);
    expect(r.stderr).not.toMatch(/w1|w2/);
  });

  it('runs as one dependency-free file (the bundle Nx builds), away from the workspace', async () => {
    const lone = join(dir, 'lone');
    await mkdir(lone);
    await copyFile(BUNDLE, join(lone, 'cache-server.cjs'));
    const r = await execa(process.execPath, [join(lone, 'cache-server.cjs'), 'hash-token'], { cwd: lone, input: 't' });
    expect(r.stdout).toBe(`read ${hashToken('t')}`);
  });
});
