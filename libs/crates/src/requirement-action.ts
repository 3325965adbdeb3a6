import type { RequirementSite } from './cargo-manifest';
import { type Version, admits, formatVersion, parseRequirement, rewriteRequirement } from './semver';

/**
 * What a requirement site does about its dependency's new version `v`: rewrite (it no longer admits
 * `v`; `to` does, in the same shape), keep (it admits `v`), inherited (`workspace = true`: the
 * workspace root's [workspace.dependencies] decides) or none (no version, path only). `invalid`
 * when cargo would not read the requirement. Pure.
 */
export type RequirementAction =
  | { action: 'rewrite'; from: string; to: string; why: string }
  | { action: 'keep'; from: string; why: string }
  | { action: 'inherited' | 'none' | 'invalid'; from?: string; why: string };

export function requirementAction(site: Pick<RequirementSite, 'crate' | 'requirement' | 'inherited'>, v: Version): RequirementAction {
  const shown = formatVersion(v);
  if (site.inherited) return { action: 'inherited', why: `inherited (workspace = true): the workspace root's [workspace.dependencies] says which ${site.crate}; left alone here` };
  if (site.requirement === undefined) return { action: 'none', why: 'no version requirement (path only): left alone' };
  const from = site.requirement;
  const parsed = parseRequirement(from);
  if (!parsed) return { action: 'invalid', from, why: `"${from.slice(0, 80)}" is not a requirement cargo reads` };
  if (admits(parsed, v)) return { action: 'keep', from, why: `"${from}" admits ${shown}` };
  const exact = parsed.length === 1 && parsed[0]!.opText === '=' && parsed[0]!.precision === 3;
  return { action: 'rewrite', from, to: rewriteRequirement(from, v)!, why: `"${from}" ${exact ? `pins ${from.replace(/^\s*=\s*/, '')}` : `does not admit ${shown}`}` };
}
