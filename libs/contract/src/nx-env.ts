/**
 * The variables that keep an Nx run local: no Nx Cloud, no daemon (CI and tests must not leave
 * one running), no terminal UI (output is read and logged), and plugins loaded in the Nx process
 * itself: isolated, every plugin (Nx's three built-in ones included) starts a worker process of
 * its own, about 2 s of CPU on each Nx start against 0.8 s for the whole start in-process; the
 * only plugin outside Nx is ours. Every tool that starts Nx sets them.
 */
export const NX_LOCAL_ENV = { NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false', NX_ISOLATE_PLUGINS: 'false' } as const satisfies Record<string, string>;
