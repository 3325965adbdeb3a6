export * from './records';
export * from './errors';
export * from './refs';
export * from './pins';
export * from './versions';
export * from './graph';
export * from './consistency';
export * from "./plan";
