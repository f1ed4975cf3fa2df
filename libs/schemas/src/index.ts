export * from './run-config';
export * from './metrics';
export * from './api';
export * from './env';
