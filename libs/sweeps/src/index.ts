export * from './expand';
export * from './issues';
export * from './random';
export * from './sample';
export * from './space';
export * from './spec';
export * from './validate';
export * from './yaml';
