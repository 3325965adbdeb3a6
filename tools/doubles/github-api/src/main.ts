/**
 * Runs the local GitHub API as its own process:
 *   npx tsx tools/doubles/github-api/src/main.ts --port 0 [--token T] [--openapi-dir DIR]
 * Prints one JSON line {"url","pid"} on stdout once it is listening, so a test or the demo can
 * read the URL, and exits cleanly on SIGTERM/SIGINT so it can be stopped by that pid.
 * The token may also come from BLLVM_GITHUB_API_TOKEN, which keeps it out of `ps` listings.
 */
import { parseArgs } from 'node:util';
import { startGitHubApi } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    token: { type: 'string' },
    'openapi-dir': { type: 'string' },
  },
  strict: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`github-api: --port must be 0..65535, got ${values.port}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const api = await startGitHubApi({
    port,
    token: values.token ?? process.env['BLLVM_GITHUB_API_TOKEN'] ?? undefined,
    openApiDir: values['openapi-dir'],
  });
  process.stdout.write(`${JSON.stringify({ url: api.url, pid: process.pid })}\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const invalid = api.validationErrors().length;
    process.stderr.write(`github-api: ${signal}, stopping (${api.log().length} requests, ${invalid} invalid responses)\n`);
    // A response that broke the description is a bug worth a failing exit code.
    api.stop().finally(() => process.exit(invalid ? 1 : 0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

// No top-level await: tsx compiles this file as CommonJS when the package is not "type": "module".
main().catch((error: unknown) => {
  process.stderr.write(`github-api: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
