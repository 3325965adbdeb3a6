export * from './env';
export * from './sandbox';
export * from './limits';
export * from './run';
export * from './reproducible';
export * from './cargo-home';
export { CgroupUnavailableError } from './cgroup';
