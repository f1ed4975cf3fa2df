export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;
export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

type TIdxRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export interface IdxFileSpec {
  role: TIdxRole;
  file: string;
  /** Expected size in bytes of the .gz file. */
  bytes: number;
  /** sha256 of the .gz file, as published in TensorFlow Datasets' url_checksums. */
  sha256: string;
  /** md5 of the .gz file where the data set's authors published one (informational; sha256 is what is checked). */
  md5?: string;
}

export interface IdxDatasetSpec {
  name: 'fashion-mnist' | 'mnist';
  classNames: readonly string[];
  /** Release name recorded as provenance.version for the IDX source. */
  version: string;
  /** Base URLs tried in order; each file is `${mirror}${file}`. */
  mirrors: readonly string[];
  files: readonly IdxFileSpec[];
  counts: { train: number; test: number };
}

/**
 * Fashion-MNIST, the original files of Xiao, Rasul and Vollgraf (2017).
 * sha256 and sizes: tensorflow/datasets url_checksums/fashion_mnist.txt; md5: the zalandoresearch README.
 */
export const FASHION_MNIST_IDX: IdxDatasetSpec = {
  name: 'fashion-mnist',
  classNames: FASHION_MNIST_CLASSES,
  version: 'fashion-mnist-idx-2017',
  mirrors: [
    'https://storage.googleapis.com/tensorflow/tf-keras-datasets/',
    'https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/',
    'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
  ],
  files: [
    { role: 'trainImages', file: 'train-images-idx3-ubyte.gz', bytes: 26421880, sha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84', md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d' },
    { role: 'trainLabels', file: 'train-labels-idx1-ubyte.gz', bytes: 29515, sha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845', md5: '25c81989df183df01b3e8a0aad5dffbe' },
    { role: 'testImages', file: 't10k-images-idx3-ubyte.gz', bytes: 4422102, sha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073', md5: 'bef4ecab320f06d8554ea6380940ec79' },
    { role: 'testLabels', file: 't10k-labels-idx1-ubyte.gz', bytes: 5148, sha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5', md5: 'bb300cfdad3c16e7a12a480ee83cd310' },
  ],
  counts: { train: 60000, test: 10000 },
};

/** MNIST (LeCun, Cortes, Burges). sha256 and sizes: tensorflow/datasets url_checksums/mnist.txt. */
const MNIST_IDX: IdxDatasetSpec = {
  name: 'mnist',
  classNames: MNIST_CLASSES,
  version: 'mnist-idx-1998',
  mirrors: ['https://storage.googleapis.com/cvdf-datasets/mnist/', 'https://ossci-datasets.s3.amazonaws.com/mnist/'],
  files: [
    { role: 'trainImages', file: 'train-images-idx3-ubyte.gz', bytes: 9912422, sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609' },
    { role: 'trainLabels', file: 'train-labels-idx1-ubyte.gz', bytes: 28881, sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c' },
    { role: 'testImages', file: 't10k-images-idx3-ubyte.gz', bytes: 1648877, sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6' },
    { role: 'testLabels', file: 't10k-labels-idx1-ubyte.gz', bytes: 4542, sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6' },
  ],
  counts: { train: 60000, test: 10000 },
};

export const IDX_DATASETS = { 'fashion-mnist': FASHION_MNIST_IDX, mnist: MNIST_IDX } as const;

/** The class names of a built-in data set (an image folder's are its folder names, known only where it is read). */
export function datasetClassNames(dataset: string): readonly string[] | null {
  return dataset in IDX_DATASETS ? IDX_DATASETS[dataset as keyof typeof IDX_DATASETS].classNames : null;
}
