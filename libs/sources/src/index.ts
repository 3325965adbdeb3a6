export * from './config';
export * from './errors';
export * from './lock';
export * from './mirror';
export * from './checkout';
export * from './containment';
export { git, gitReason, GIT_ENV, type GitResult } from './git';
export * from './reachable';
