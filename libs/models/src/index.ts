export * from './backend';
export * from './zoo';
export * from './predict';
export * from './transfer';
export * from './training';
