import { developCommits, developSetPath, readDevelopSet } from '@bllvm/crates';
import type { Component } from '@bllvm/manifest';
import type { ComponentContext } from '../../lib/component';

/**
 * The nightly's develop channel, for the package task: where the committed develop set has a
 * release commit made on a component's current pin (`tag --develop`: its Cargo.toml and Cargo.lock
 * at X.Y.Z-dev.N, nothing else), that commit is what gets packaged, for the component and for each
 * upstream whose crate its verify build resolves. A component the set does not name at its pin is
 * packaged at its pin, as before. Pure but for reading the set (a file of this commit, trusted as
 * the pins are).
 */
export async function withDevelopPins(ctx: ComponentContext): Promise<{ ctx: ComponentContext; develop: boolean }> {
  const stack = [...ctx.upstream, ctx.self];
  const commits = developCommits(await readDevelopSet(developSetPath(ctx.workspaceRoot)), Object.fromEntries(stack.map((c) => [c.id, c.pin.commit])));
  if (!commits[ctx.component]) return { ctx, develop: false };
  return { ctx: developContext(ctx, commits), develop: true };
}

/** Where the develop package tasks check out: apart from the pins' checkouts, which builds use meanwhile. */
export const DEVELOP_CHECKOUTS = 'sources-develop';

/**
 * `ctx` with the pins of the components in `commits` moved to their release commits, checked out
 * in checkouts of their own (every develop package task reads the same set, so they agree). Pure.
 */
export function developContext(ctx: ComponentContext, commits: Readonly<Record<string, string>>): ComponentContext {
  const moved = (c: Component): Component => (commits[c.id] ? { ...c, pin: { ...c.pin, commit: commits[c.id]! } } : c);
  const self = moved(ctx.self);
  return { ...ctx, self, pin: self.pin, upstream: ctx.upstream.map(moved), sources: { ...ctx.sources, checkouts: DEVELOP_CHECKOUTS } };
}
