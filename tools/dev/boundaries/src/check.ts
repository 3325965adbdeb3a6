import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importsOf } from './imports';
import { LAYERS, isTestFile } from './layers';
import type { Finding, ImportSite } from './rule';
import { rules } from './rules/index';
import { testingAliasFindings } from './rules/testing-entry';
import { type Workspace, projectOf, resolveRelative } from './workspace';

/** Every import of every source file against every rule. Pure over the workspace it is given. */
export function checkBoundaries(ws: Workspace): Finding[] {
  const findings: Finding[] = [...projectFindings(ws), ...testingAliasFindings(ws)];
  for (const file of ws.files) {
    const project = projectOf(ws, file);
    const isTest = isTestFile(file);
    for (const imp of importsOf(readFileSync(join(ws.root, file), 'utf8'))) {
      const site: ImportSite = { ws, file, project, isTest, imp, target: targetOf(ws, file, imp.specifier) };
      for (const rule of rules) {
        const message = rule.check(site);
        if (message) findings.push({ rule: rule.id, file, line: imp.line, message });
      }
    }
  }
  return findings;
}

/**
 * The layering can only hold where every project has a layer and every source file a project:
 * a project without a layer tag, or code under libs/ or tools/ that belongs to none, escapes it.
 */
function projectFindings(ws: Workspace): Finding[] {
  const findings: Finding[] = [];
  for (const p of ws.projects) {
    if (!/^(libs|tools)\//.test(p.root)) continue;
    const layers = p.tags.filter((t) => t in LAYERS);
    if (layers.length !== 1)
      findings.push({ rule: 'one-layer-per-project', file: `${p.root}/project.json`, line: 1, message: `project "${p.name}" has ${layers.length ? `layer tags ${layers.join(', ')}` : 'no layer tag'}; give it exactly one of ${Object.keys(LAYERS).join(', ')}` });
  }
  for (const file of ws.files) {
    if (/^(libs|tools)\//.test(file) && !projectOf(ws, file))
      findings.push({ rule: 'one-layer-per-project', file, line: 1, message: 'belongs to no project, so no layer applies to it; move it into one or give its folder a project.json' });
  }
  return findings;
}

function targetOf(ws: Workspace, file: string, spec: string): ImportSite['target'] {
  if (spec.startsWith('.')) {
    const path = resolveRelative(ws, file, spec);
    return { path, project: projectOf(ws, path) };
  }
  // A project's `testing` entry is an alias of its own (`@bllvm/<name>/testing`); anything else
  // under `@bllvm/<name>/` lands in that project (public-entry-only says it is a deep import).
  const alias = ws.aliases.has(spec) ? spec : /^@bllvm\/[^/]+/.exec(spec)?.[0];
  const path = alias ? ws.aliases.get(alias) : undefined;
  return path === undefined ? undefined : { path, project: projectOf(ws, path) };
}

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}: [${f.rule}] ${f.message}`;
}
