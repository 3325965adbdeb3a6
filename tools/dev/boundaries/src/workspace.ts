import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { execFileSync } from 'node:child_process';

export interface Project {
  name: string;
  /** Folder relative to the workspace root, '/'-separated, no trailing slash. */
  root: string;
  tags: string[];
}

export interface Workspace {
  root: string;
  projects: Project[];
  /** `@bllvm/<name>` → the file it resolves to (relative, '/'-separated). */
  aliases: Map<string, string>;
  /** Source files to check (relative, '/'-separated). */
  files: string[];
}

const SOURCE = /\.(ts|cts|mts|cjs|mjs|js)$/;

/** What the check needs to know about a workspace: its projects (from project.json), aliases and files. */
export function readWorkspace(root: string, files = listFiles(root)): Workspace {
  const projects = files
    .filter((f) => f.endsWith('/project.json') || f === 'project.json')
    .map((f) => {
      const json = JSON.parse(readFileSync(join(root, f), 'utf8')) as { name?: string; tags?: string[] };
      const dir = dirname(f) === '.' ? '' : dirname(f);
      return { name: json.name ?? dir, root: dir, tags: json.tags ?? [] };
    });
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as { compilerOptions?: { paths?: Record<string, string[]> } };
  const aliases = new Map(Object.entries(tsconfig.compilerOptions?.paths ?? {}).map(([k, [v]]) => [k, posix(v ?? '')]));
  return { root, projects, aliases, files: files.filter((f) => SOURCE.test(f) && !f.endsWith('.d.ts') && !f.endsWith('.d.cts')) };
}

/** The project a file belongs to: the one with the deepest root containing it. */
export function projectOf(ws: Workspace, file: string): Project | undefined {
  let best: Project | undefined;
  for (const p of ws.projects) {
    if (p.root && (file === p.root || file.startsWith(p.root + '/')) && (!best || p.root.length > best.root.length)) best = p;
  }
  return best;
}

/** A relative specifier resolved against the importing file, as a workspace-relative path. */
export function resolveRelative(ws: Workspace, from: string, spec: string): string {
  return posix(relative(ws.root, resolve(ws.root, dirname(from), spec)));
}

function posix(p: string): string {
  return p.split(sep).join('/').replace(/^\.\//, '');
}

/**
 * Tracked and untracked-but-not-ignored files, so a new file is checked before it is committed,
 * and a file deleted (or moved) but not yet committed is not.
 */
function listFiles(root: string): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  return [...new Set(out.split('\n'))].filter((f) => f && !f.includes('node_modules/') && existsSync(join(root, f)));
}
