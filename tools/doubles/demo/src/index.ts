export * from './workspace-copy';
export * from './sandbox-workspace';
export * from './tool-shims';
export * from './pipeline';
export * from './profile';
export * from './generated-workspace';
export * from './printed-commands';
