import { developCommits, developSetPath, readDevelopSet } from '@bllvm/crates';
import { type Component, readComponents } from '@bllvm/manifest';
import type { ComponentContext } from '../../lib/component';

/**
 * The nightly's develop channel, for the package task: when the committed develop set was tagged on
 * exactly the current pins (`tag --develop`: each release commit's Cargo.toml and Cargo.lock at
 * X.Y.Z-dev.N, nothing else), those release commits are what gets packaged, for the component and
 * for each upstream whose crate its verify build resolves. Otherwise (no set, or pins the set was not
 * made on: a later move, a trial, a bisection) everything is packaged at its pin, as before. Pure
 * but for reading the set (a file of this commit, trusted as the pins are).
 */
export async function withDevelopPins(ctx: ComponentContext): Promise<{ ctx: ComponentContext; develop: boolean }> {
  const set = await readDevelopSet(developSetPath(ctx.workspaceRoot));
  if (!set) return { ctx, develop: false };
  // The whole set's pins, not only this task's upstreams': the set applies to all of them or none.
  const pins = Object.fromEntries((await readComponents(ctx.workspaceRoot, ctx.graph, set.crates.map((c) => c.component).filter((id) => ctx.graph.components.includes(id)))).map((c) => [c.id, c.pin.commit]));
  const commits = developCommits(set, pins);
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
