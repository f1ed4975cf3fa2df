// Node-only (node:fs): the shared run reporter of the worker and the SDK. Not in the package
// root, which the web imports.
export * from './epoch-reporter';
export * from './retry';
export * from './spool';
