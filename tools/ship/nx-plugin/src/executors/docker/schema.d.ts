export interface DockerExecutorOptions {
  /** Dockerfile, relative to the workspace. Its folder is not the context: the context is staged. */
  dockerfile: string;
  /** Image repository without tag, e.g. ghcr.io/<owner>/<component>. */
  image: string;
  /** Names of the built binaries (from dist/<component>/build) copied into the context. */
  binaries: string[];
  /** Passed to docker build as --network; podman's Docker API ignores it for RUN steps, which the executor refuses (isolated-steps.ts). */
  network?: string;
  /** Extra tags besides the commit and the crate version. */
  tags?: string[];
  buildArgs?: Record<string, string>;
}
