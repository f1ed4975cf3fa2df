export { batchIterator, countBatches, getBatchShape } from './batches';
export { encodeIdx } from './idx';
export { decodeImageBytes } from './image-folder';
export { loadDataset } from './load-dataset';
export { loadFashionMnistPackage } from './npm-source';
export { datasetClassNames } from './sources';
export { describeDataset, type DatasetSummary } from './summary';
export { type ImageSet } from './types';
