export * from './env';
export * from './sandbox';
export * from './run';
export * from './reproducible';
