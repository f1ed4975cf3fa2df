import * as tf from '@tensorflow/tfjs';

/** A model saved to memory (topology and weights, as a file save would write them). */
export async function saveInMemory(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  if (saved == null) throw new Error('model.save wrote nothing');
  return saved;
}
