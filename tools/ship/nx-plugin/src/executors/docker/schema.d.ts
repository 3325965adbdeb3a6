export interface DockerExecutorOptions {
  /** Dockerfile, relative to the workspace. Its folder is not the context: the context is staged. */
  dockerfile: string;
  /** Image repository without tag, e.g. ghcr.io/<owner>/<component>. */
  image: string;
  /** Names of the built binaries (from dist/<component>/build) copied into the context. */
  binaries: string[];
  /** Network for RUN steps: "none" on runners without egress and here; "default" otherwise. */
  network?: string;
  /** Extra tags besides the commit and the crate version. */
  tags?: string[];
  buildArgs?: Record<string, string>;
}
