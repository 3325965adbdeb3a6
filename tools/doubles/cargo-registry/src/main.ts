/**
 * Runs the local cargo registry as its own process:
 *   npx tsx tools/doubles/cargo-registry/src/main.ts --port 0 [--token T] [--seed] [--name N]
 * Prints one JSON line {"url","pid"} on stdout once it is listening, so a test or the demo can
 * read the URL, and exits cleanly on SIGTERM/SIGINT so it can be stopped by that pid.
 * The token may also come from BLLVM_CARGO_REGISTRY_TOKEN, which keeps it out of `ps` listings.
 */
import { parseArgs } from 'node:util';
import { startCargoRegistry } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    token: { type: 'string' },
    seed: { type: 'boolean', default: false },
    name: { type: 'string' },
  },
  strict: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`cargo-registry: --port must be 0..65535, got ${values.port}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const registry = await startCargoRegistry({
    port,
    token: values.token ?? process.env['BLLVM_CARGO_REGISTRY_TOKEN'] ?? undefined,
    seed: values.seed,
    registryName: values.name,
  });
  process.stdout.write(`${JSON.stringify({ url: registry.url, pid: process.pid })}\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`cargo-registry: ${signal}, stopping (${registry.log().length} requests)\n`);
    registry.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

// No top-level await: tsx compiles this file as CommonJS when the package is not "type": "module".
main().catch((error: unknown) => {
  process.stderr.write(`cargo-registry: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
