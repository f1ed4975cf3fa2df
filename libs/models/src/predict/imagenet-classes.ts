import imagenet from '../../data/imagenet-classes.json';

/** ImageNet (ILSVRC-2012) has 1000 classes; index = Keras imagenet_class_index id. */
export const IMAGENET_CLASS_COUNT = 1000;

/**
 * Full labels ("great white shark, white shark, man-eater, ...") in Keras order, copied with
 * attribution from @tensorflow-models/mobilenet (Apache-2.0); see data/imagenet-classes.json.
 */
export const IMAGENET_LABELS: readonly string[] = imagenet.labels;

/** The short name of each class (the label's first synonym): 0 tench, 1 goldfish, ... 999 toilet tissue. */
export function getImagenetClassNames(): string[] {
  return IMAGENET_LABELS.map((label) => label.split(',')[0]?.trim() ?? label);
}
