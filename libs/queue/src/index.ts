export * from './constants';
export * from './jobs';
export * from './connection';
export * from './producer';
export * from './predict-producer';
