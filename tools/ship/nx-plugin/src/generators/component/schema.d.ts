export interface ComponentGeneratorSchema {
  /** Component (and repository) name, e.g. bllvm-wallet. */
  name: string;
  /** Full 40-hex commit to pin first. */
  commit: string;
  /** Comma-separated components it depends on (its sibling Cargo dependencies). */
  dependsOn?: string;
  kind?: 'library' | 'binary' | 'image';
  /** owner/name; default BTCDecoded/<name>. */
  repository?: string;
  branch?: string;
  version?: string;
}
