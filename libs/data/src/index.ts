export { batchIterator, countBatches, getBatchShape } from './batches';
export { encodeIdx } from './idx';
export { loadDataset } from './load-dataset';
export { loadFashionMnistPackage } from './npm-source';
export { describeDataset, type DatasetSummary } from './summary';
export { type ImageSet } from './types';
