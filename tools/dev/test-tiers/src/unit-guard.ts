import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

/**
 * The unit tier's wall: a unit test starts no process and opens no socket, so the tier can run
 * files in parallel with nothing shared. A test that needs git, cargo, bwrap or a server belongs in
 * the integration tier (`*.integration.test.ts` beside its code) or under test/e2e; this guard
 * makes such a test fail here with a message saying so, rather than slow the tier down.
 */
const refuse = (what: string) => () => {
  throw new Error(`unit tests start no process and open no socket (${what}); name the file *.integration.test.ts`);
};
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  (childProcess as unknown as Record<string, unknown>)[name] = refuse(`child_process.${name}`);
}
net.Server.prototype.listen = refuse('net.Server.listen') as never;
net.Socket.prototype.connect = refuse('net.Socket.connect') as never;
// ESM named imports of builtins (execa's `import { spawn }`) see the patch only once synced.
syncBuiltinESMExports();
