export * from './run-config';
export * from './metrics';
