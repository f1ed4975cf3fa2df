export * from './checkpoint';
export * from './early-stopping';
export * from './fit';
export * from './optimizers';
export * from './rng';
export * from './trainer';
export * from './weights';
export * from './run-training';
