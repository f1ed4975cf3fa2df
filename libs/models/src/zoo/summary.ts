import type * as tf from '@tensorflow/tfjs';

interface TLayerSummary {
  name: string;
  className: string;
  outputShape: (number | null)[] | (number | null)[][];
  params: number;
  trainable: boolean;
}

export interface TModelSummary {
  name: string;
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  inputShape: (number | null)[];
  outputShape: (number | null)[];
  layers: TLayerSummary[];
}

const sizeOf = (weights: tf.LayerVariable[]) => weights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);

/** What Keras' model.summary() shows, as data: layers with output shapes and parameter counts. */
export function summarizeModel(model: tf.LayersModel): TModelSummary {
  const params = model.countParams();
  const trainableParams = sizeOf(model.trainableWeights);
  return {
    name: model.name,
    params,
    trainableParams,
    nonTrainableParams: params - trainableParams,
    inputShape: model.inputs[0]?.shape ?? [],
    outputShape: model.outputs[0]?.shape ?? [],
    layers: model.layers.map((layer) => ({
      name: layer.name,
      className: layer.getClassName(),
      outputShape: layer.outputShape as TLayerSummary['outputShape'],
      params: layer.countParams(),
      trainable: layer.trainable,
    })),
  };
}

/** A fixed-width table like Keras' summary, for terminals. */
export function formatModelSummary(summary: TModelSummary): string {
  const shape = (s: TLayerSummary['outputShape']) => JSON.stringify(s).replace(/null/g, 'None').replace(/,/g, ', ');
  const rows = summary.layers.map((l) => [`${l.name} (${l.className})`, shape(l.outputShape), l.params.toLocaleString('en-US')]);
  const header = ['Layer (type)', 'Output shape', 'Params'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ');
  const rule = '-'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  return [
    `Model: ${summary.name}`,
    rule,
    line(header),
    rule,
    ...rows.map(line),
    rule,
    `Total params: ${summary.params.toLocaleString('en-US')}`,
    `Trainable params: ${summary.trainableParams.toLocaleString('en-US')}`,
    `Non-trainable params: ${summary.nonTrainableParams.toLocaleString('en-US')}`,
  ].join('\n');
}
