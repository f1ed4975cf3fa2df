export { batchIterator, countBatches, getBatchShape, type Batch, type BatchOptions } from './batches';
export { getDefaultCacheDir } from './cache-dir';
export { checkFile, ChecksumError, DownloadError, downloadFile, ensureIdxFiles, hashFile, type DownloadOptions } from './download';
export { encodeIdx, IdxFormatError, parseIdx, readIdxFile, readIdxImageSet, type IdxArray } from './idx';
export { decodeImage, ImageFolderError, loadImageFolder, type ImageFolderOptions, type UnreadablePolicy } from './image-folder';
export {
  clearDatasetCache, loadDataset, loadRawDataset, readIdxFolder, resolveValidationCount, selectSplits, type LoadDatasetOptions,
} from './load-dataset';
export { loadFashionMnistPackage, loadMnistPackage, NPM_SPLIT_SEED } from './npm-source';
export { applyPreprocess, BACKBONE_PREPROCESS, PREPROCESS_MODES, type TPreprocess } from './preprocess';
export { hashSplits } from './provenance';
export { createConverter, type ConvertSpec } from './resize';
export { describeDataset, summarizeDataset, type DatasetSummary, type DescribeDatasetOptions } from './summary';
export { PathEscapeError, resolveInside } from './safe-path';
export { FASHION_MNIST_CLASSES, FASHION_MNIST_IDX, IDX_DATASETS, MNIST_CLASSES, MNIST_IDX, type IdxDatasetSpec, type IdxFileSpec } from './sources';
export { countPerClass, createRng, permute, takePerClass, takeSample } from './split';
export { ZDataProvenance, type ImageSet, type LoadedDataset, type RawDataset, type TDataProvenance, type TDataSource } from './types';
