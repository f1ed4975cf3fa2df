export * from './backbone';
export * from './file-io';
export * from './freeze';
export * from './paths';
export * from './preprocess-layer';
