export * from './imagenet-classes';
export * from './predict-top-k';
export * from './pretrained';
export * from './run-predictor';
