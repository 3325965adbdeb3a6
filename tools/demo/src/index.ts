export * from './workspace-copy';
export * from './sandbox-workspace';
