export * from './imagenet-classes';
export * from './predict-top-k';
