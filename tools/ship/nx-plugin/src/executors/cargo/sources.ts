import { isTracked } from '@bllvm/sources';
import { checkoutStack } from '../../lib/component';
import { patchArgs } from './cargo-args';
import { crateName } from './crate-manifest';
import type { CargoRequest } from './request';

export interface PreparedSources {
  /** The component's checkout, where cargo runs. */
  dir: string;
  /** cargo `--config` flags that point every upstream crate at its checkout. */
  config: string[];
  locked: boolean;
}

/** Check out the component and its upstreams at their pins, and read what cargo needs from them. */
export async function prepareSources(req: CargoRequest): Promise<PreparedSources> {
  const { ctx } = req;
  const checkouts = await checkoutStack(ctx);
  const dir = checkouts[ctx.component]!;
  const [names, locked] = await Promise.all([
    Promise.all(ctx.upstream.map((up) => crateName(checkouts[up.id]!))),
    req.locked === 'auto' ? isTracked(dir, 'Cargo.lock') : Promise.resolve(req.locked),
  ]);
  const config = patchArgs(Object.fromEntries(ctx.upstream.map((up, i) => [names[i]!, checkouts[up.id]!])));
  return { dir, config, locked };
}
