import { optionNamesOf, type TArchitecture } from './run-config';

const DESCRIPTIONS: Record<TArchitecture, string> = {
  mlp: 'Flatten -> Dense 300 -> Dense 100 -> softmax (baseline; 266,610 params on 28x28x1)',
  lenet5: 'Conv 6@5x5 same -> AvgPool -> Conv 16@5x5 -> AvgPool -> Dense 120 -> 84 -> softmax (61,706 params on 28x28x1)',
  alexnet: 'Resize to S (227, or data.inputSize) -> 5 conv+BN (96@11x11/4 .. 256@3x3), 3 max-pools -> Dense 4096 x2 with dropout 0.5 -> softmax',
  googlenet: 'Inception v1: stem -> inception 3a..5b (4 parallel branches each) -> global average pool -> dropout 0.4 -> softmax',
  resnet: 'Basic residual blocks (ResNet-18 layout 2,2,2,2 at 64..512 channels), projection shortcuts, zero-init last BN gamma',
  transfer: 'A loaded backbone (run checkpoint or converted Keras ResNet50/Xception/MobileNet), frozen, under a new pooled dense head',
};

/** One line per architecture, for `hz zoo list` and the dashboard; its knobs are the run config options it takes. */
export const ZOO_CATALOG: readonly { arch: TArchitecture; description: string; knobs: readonly string[] }[] = (
  Object.keys(DESCRIPTIONS) as TArchitecture[]
).map((arch) => ({ arch, description: DESCRIPTIONS[arch], knobs: optionNamesOf(arch) }));
