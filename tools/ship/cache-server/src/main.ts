/** Process entry of the cache server (bundled to dist/cache-server.cjs; bin/cache-server.cjs). */
import { runCacheServerCli } from './cli';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

runCacheServerCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  stdin: readStdin,
  waitForStop: (onReload) =>
    new Promise<void>((resolve) => {
      process.on('SIGHUP', onReload);
      process.once('SIGTERM', () => resolve());
      process.once('SIGINT', () => resolve());
    }),
}).then((code) => {
  process.exitCode = code;
  // Signal listeners would otherwise keep nothing alive, but be explicit after a clean stop.
  process.removeAllListeners('SIGHUP');
});
