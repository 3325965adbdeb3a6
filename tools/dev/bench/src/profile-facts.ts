/**
 * Where a cold graph sync's time goes on a generated stack, step by step (the bench's scale
 * section found it bending upwards): the containment probe (a resolving `cargo metadata` per
 * checkout, the checkouts its crate reaches mounted and patched in) against the facts reads
 * (`cargo metadata --no-deps` per checkout, offered every checkout: it mounts those its manifests
 * name). Checkouts must be in place (run after a sync).
 *
 *   npx tsx tools/dev/bench/src/profile-facts.ts <components>...
 */
import { basename } from 'node:path';
import { createGeneratedWorkspace } from '@bllvm/demo';
import { readConfig } from '@bllvm/contract';
import { hermeticEnv, runInSandbox, rustSysroot } from '@bllvm/hermetic';
import { readStack } from '@bllvm/manifest';
import { containmentProblems, crateFacts, paths } from '@bllvm/sources';

/** Where the build sandbox mounts a checkout, as libs/sources does. */
const inSandbox = (dir: string) => `/src/${basename(dir)}`;

/** Median wall time of an empty sandbox run (`true`) with `dirs` mounted: the cost of the mounts alone. */
async function emptyRun(dirs: readonly string[], times = 5): Promise<number> {
  const sysroot = await rustSysroot();
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    const r = await runInSandbox({ sysroot, mounts: dirs.map((d) => ({ host: d, at: inSandbox(d) })), cwd: '/', env: hermeticEnv({}), argv: ['/usr/bin/true'] });
    if (r.exitCode !== 0) throw new Error(`empty sandbox run failed: ${String(r.stderr)}`);
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[Math.floor(times / 2)]!;
}

async function profile(n: number): Promise<void> {
  const gw = await createGeneratedWorkspace({ components: n });
  try {
    const cfg = readConfig(gw.ws.dir, { ...process.env, ...gw.env });
    const stack = await readStack(gw.ws.dir);
    const checked = stack.components.map((c) => ({ component: c.id, dir: paths.checkout(cfg, c.checkoutFolder), crateDir: c.crate.dir, commit: c.pin.commit }));
    const checkouts = checked.map((c) => ({ dir: c.dir, crateDir: c.crateDir }));
    const oneMount = await emptyRun(checked.slice(0, 1).map((c) => c.dir));
    const allMounts = await emptyRun(checked.map((c) => c.dir));
    process.stdout.write(`${n} components: cold nx sync while making the workspace ${(gw.timings.syncMs / 1000).toFixed(1)} s (${(gw.timings.syncMs / n).toFixed(0)} ms/component)\n`);
    process.stdout.write(`${n} components: empty sandbox run, 1 checkout mounted ${oneMount.toFixed(0)} ms, all ${n} mounted ${allMounts.toFixed(0)} ms\n`);
    const t0 = performance.now();
    const problems = await containmentProblems(cfg, checked);
    const t1 = performance.now();
    for (const c of checked) {
      const r = await crateFacts({ dir: c.dir, crateDir: c.crateDir, checkouts });
      if (!r.ok) throw new Error(r.stderr);
    }
    const t2 = performance.now();
    // The same facts read with only the crate's own checkout mounted: what the mounts cost.
    for (const c of checked) await crateFacts({ dir: c.dir, crateDir: c.crateDir, checkouts: [{ dir: c.dir, crateDir: c.crateDir }] });
    const t3 = performance.now();
    const per = (ms: number) => `${(ms / n).toFixed(0)} ms/component`;
    process.stdout.write(
      `${n} components: containment probe ${((t1 - t0) / 1000).toFixed(1)} s (${per(t1 - t0)}, ${problems.length} problems); ` +
        `facts, every checkout offered ${((t2 - t1) / 1000).toFixed(1)} s (${per(t2 - t1)}); facts, own checkout only ${((t3 - t2) / 1000).toFixed(1)} s (${per(t3 - t2)})\n`,
    );
  } finally {
    await gw.remove();
  }
}

for (const arg of process.argv.slice(2)) await profile(Number(arg));
