import { ManifestError } from '@bllvm/manifest';
import { TomlError, parse } from 'smol-toml';

/** One dependency's version requirement in a Cargo.toml, and where it is written. */
export interface RequirementSite {
  /** The crate depended on: its `package`, else its key. */
  crate: string;
  /** Its key in the table (another name when renamed with `package`). */
  key: string;
  /** The table's path: ['dependencies'], ['target', "cfg(unix)", 'dev-dependencies'], ['workspace', 'dependencies']. */
  table: string[];
  /** The requirement as written; undefined when there is none (a path-only or inherited dependency). */
  requirement?: string;
  /** `workspace = true`: the requirement is the workspace's ([workspace.dependencies] of the root manifest). */
  inherited: boolean;
  /** The key path of the requirement string: [...table, key] or [...table, key, 'version']. */
  path: string[];
}

/** What versioning needs of a Cargo.toml. */
export interface CrateManifest {
  file: string;
  /** [package] name; undefined for a workspace root without a package. */
  name?: string;
  /** [package] version as written; undefined when absent or inherited. */
  version?: string;
  /** `version.workspace = true`: the version is the workspace's [workspace.package] version. */
  versionFromWorkspace: boolean;
  /** Every dependency with its requirement site, in every dependency table of the manifest. */
  requirements: RequirementSite[];
}

const KINDS = ['dependencies', 'dev-dependencies', 'dev_dependencies', 'build-dependencies', 'build_dependencies'];
const MAX_BYTES = 1024 * 1024;

/** A Cargo.toml read for versioning. Throws a ManifestError naming `file` when it is not TOML. Pure. */
export function readCrateManifest(text: string, file: string): CrateManifest {
  if (text.length > MAX_BYTES) throw new ManifestError(file, `larger than ${MAX_BYTES} bytes`);
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) throw new ManifestError(file, `invalid TOML: ${e.message.split('\n')[0]}`, { line: e.line, column: e.column });
    throw e;
  }
  const pkg = table(doc.package);
  const name = typeof pkg?.name === 'string' ? pkg.name : undefined;
  const versionFromWorkspace = table(pkg?.version)?.workspace === true;
  const version = typeof pkg?.version === 'string' ? pkg.version : undefined;
  const requirements: RequirementSite[] = [];
  const collect = (path: string[], deps: unknown) => {
    for (const [key, spec] of Object.entries(table(deps) ?? {})) {
      if (typeof spec === 'string') requirements.push({ crate: key, key, table: path, requirement: spec, inherited: false, path: [...path, key] });
      const t = table(spec);
      if (!t) continue;
      const crate = typeof t.package === 'string' ? t.package : key;
      requirements.push({
        crate,
        key,
        table: path,
        ...(typeof t.version === 'string' ? { requirement: t.version } : {}),
        inherited: t.workspace === true,
        path: [...path, key, 'version'],
      });
    }
  };
  for (const kind of KINDS) collect([kind], doc[kind]);
  for (const [cfg, t] of Object.entries(table(doc.target) ?? {})) for (const kind of KINDS) collect(['target', cfg, kind], table(t)?.[kind]);
  collect(['workspace', 'dependencies'], table(doc.workspace)?.dependencies);
  return { file, ...(name !== undefined ? { name } : {}), ...(version !== undefined ? { version } : {}), versionFromWorkspace, requirements };
}

/** A table path as Cargo.toml writes its header: `[target.'cfg(unix)'.dependencies]`. */
export function tableHeader(path: readonly string[]): string {
  return `[${path.map((k) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : k.includes("'") ? JSON.stringify(k) : `'${k}'`)).join('.')}]`;
}

function table(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) ? (v as Record<string, unknown>) : undefined;
}
