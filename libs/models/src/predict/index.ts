export * from './imagenet-classes';
export * from './predict-top-k';
export * from './run-predictor';
