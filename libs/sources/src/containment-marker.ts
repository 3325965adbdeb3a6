import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isCommitSha } from '@bllvm/manifest';
import type { SourcesConfig } from './config';
import type { Checked } from './containment';

/**
 * Bumped whenever what containment checks changes, so a marker written by older rules is not
 * taken as a pass by newer ones.
 */
const RULES = 'containment-1';

/**
 * What a containment pass depends on: the set of checkouts (folder, commit, crate folder), each at
 * a clean commit. Checkouts are never writable to a build (read-only in every sandbox; the only
 * host write is the lock we copy in), so the same set gives the same answer: the result is kept
 * per set and each task of an unchanged stack skips its `cargo metadata` probes.
 */
export function containmentKey(checked: readonly Checked[]): string {
  const rows = checked.map((c) => `${basename(c.dir)}\0${c.commit}\0${c.crateDir}\0${c.component}`).sort();
  return createHash('sha256').update([RULES, ...rows].join('\n')).digest('hex');
}

const markerPath = (cfg: SourcesConfig, key: string) => join(cfg.workDir, 'containment', key);

export function passedBefore(cfg: SourcesConfig, key: string): boolean {
  return existsSync(markerPath(cfg, key));
}

/** Written only after a pass, by rename, so a marker never exists for a check that did not finish. */
export async function recordPass(cfg: SourcesConfig, key: string): Promise<void> {
  await writeMarker(markerPath(cfg, key), `${new Date().toISOString()}\n`);
}

/**
 * One checkout's pass, kept on its own: each task's set is new on a cold nightly (node's is
 * consensus, protocol and node; the next one down adds node's dependents' upstreams), yet each
 * checkout in it was mostly probed already, in its own task's set. A checkout's problems are
 * judged as "outside every checkout of the set", so a pass in one set holds in any set that holds
 * the same checkouts its probe mounted (`mounted`, folder → commit) and whose manifests make it
 * reach no other (checkoutPassHolds).
 */
export interface CheckoutPass {
  mounted: Record<string, string>;
}

function checkoutKey(c: Checked): string {
  return createHash('sha256').update([RULES, 'checkout', basename(c.dir), c.commit, c.crateDir, c.component].join('\0')).digest('hex');
}

const checkoutMarkerPath = (cfg: SourcesConfig, c: Checked) => join(cfg.workDir, 'containment', 'checkouts', checkoutKey(c));

const FOLDER = /^[A-Za-z0-9._-]{1,200}$/;

/** A recorded pass, checked field by field; anything else (missing, torn, edited) is no pass. Pure. */
export function parseCheckoutPass(text: string): CheckoutPass | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const mounted = (doc as { mounted?: unknown }).mounted;
  if (typeof mounted !== 'object' || mounted === null || Array.isArray(mounted)) return undefined;
  const entries = Object.entries(mounted);
  if (entries.length === 0 || entries.length > 1000) return undefined;
  if (!entries.every(([f, commit]) => FOLDER.test(f) && f !== '.' && f !== '..' && isCommitSha(commit))) return undefined;
  return { mounted: Object.fromEntries(entries) as Record<string, string> };
}

/**
 * Does a checkout's earlier pass hold in this set? Every checkout its probe mounted is here at
 * the same commit (so cargo would read the same files), and what its manifests reach in this set
 * (`reachNow`, the probe's first mounts) was all mounted then: a sibling that was missing before
 * and is here now would be mounted and read, so the checkout is probed again. Pure.
 */
export function checkoutPassHolds(pass: CheckoutPass | undefined, current: ReadonlyMap<string, string>, reachNow: readonly string[]): boolean {
  if (!pass) return false;
  return Object.entries(pass.mounted).every(([folder, commit]) => current.get(folder) === commit) && reachNow.every((f) => f in pass.mounted);
}

export async function readCheckoutPass(cfg: SourcesConfig, c: Checked): Promise<CheckoutPass | undefined> {
  const text = await readFile(checkoutMarkerPath(cfg, c), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseCheckoutPass(text);
}

/** Written only after the checkout's own checks found nothing, by rename. */
export async function recordCheckoutPass(cfg: SourcesConfig, c: Checked, pass: CheckoutPass): Promise<void> {
  await writeMarker(checkoutMarkerPath(cfg, c), `${JSON.stringify(pass)}\n`);
}

async function writeMarker(file: string, body: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
  await writeFile(tmp, body);
  await rename(tmp, file);
}
