/**
 * Records written by the executors into dist/ and read by release staging.
 * They are the boundary between building and publishing, so their shape is fixed here.
 *
 * Layout:
 *   dist/<component>/build/build.json      BuildRecord (+ the artifacts and a <file>.sha256 each, same folder)
 *   dist/<component>/test/test.json        CommandRecord
 *   dist/<component>/verify/verify.json    CommandRecord
 *   dist/<component>/image.json            ImageRecord (+ the saved image it names, beside it)
 *
 * `componentDist` (component.ts) spells these paths; `readBuildRecord` and its siblings
 * (parse-records.ts) read them, checking every field, so no reader casts parsed JSON.
 */

export interface ArtifactRecord {
  /** File name inside dist/<component>/build/. */
  name: string;
  /** 'binary' for executables, 'library' for an .rlib of a library crate. */
  kind: 'binary' | 'library';
  size: number;
  sha256: string;
}

export interface BuildRecord {
  component: string;
  /** owner/name on GitHub, from the pin. */
  repository: string;
  branch: string;
  /** 40-hex commit the build was made from. */
  commit: string;
  /** The crate's own version from its Cargo.toml at that commit. */
  version: string;
  /** `rustc -Vv` output. */
  toolchain: string;
  features: string[];
  profile: string;
  target?: string;
  /** Upstream components and the commits they were built against. */
  upstream: Record<string, string>;
  artifacts: ArtifactRecord[];
  /** What a rebuilder must set to get the same bytes (absent in records made before it was kept). */
  settings?: BuildSettings;
  // No build time: the record ships inside the archive, and the same commits must give the same bytes.
}

/** The settings of a build besides its commits and toolchain: all a rebuilder must reproduce. */
export interface BuildSettings {
  /** Seconds since the epoch: the newest committer date among the commits built. */
  sourceDateEpoch: number;
  /** `cargo -V` of the toolchain (the record's `toolchain` is `rustc -Vv`). */
  cargo: string;
  /** The flags rustc got (CARGO_ENCODED_RUSTFLAGS, one flag each), path remaps included. */
  rustflags: string[];
  /** The command line inside the build sandbox. */
  command: string[];
  /** Where the sandbox mounts the checkouts, target dir, cargo home and sysroot. */
  sandbox: Record<string, string>;
}

export interface CommandRecord {
  component: string;
  commit: string;
  command: string[];
  success: boolean;
  durationMs: number;
  finishedAt: string;
}

export interface ImageRecord {
  component: string;
  /** Full reference with tag, e.g. ghcr.io/<owner>/<component>:<commit>. */
  image: string;
  tags: string[];
  /** Image ID (config digest, sha256:...) as reported by `docker image inspect`. */
  imageId: string;
  labels: Record<string, string>;
  /** The saved image (docker save), restored from cache with the record, so the record never points at nothing. */
  archive: { name: string; size: number; sha256: string };
  commit: string;
  builtAt: string;
}
