import { startPipeline } from '@bllvm/demo';
const p = await startPipeline({ profile: 'real', tag: false, keep: true });
console.log(p.sw.ws.dir);
const r = await p.sw.ws.cli('nightly', '-c', 'sandbox');
console.log(r.exitCode, r.stdout.slice(-3000), r.stderr.slice(-6000));
await p.stop();
