import * as tf from '@tensorflow/tfjs';

/**
 * A tfjs-layers class by its registered name (tfjs exports factories, not the classes), for a
 * subclass that keeps its name. Read before the subclass registers itself under the same name.
 */
export function stockLayerClass<T extends tf.layers.Layer, A>(className: string): (new (args: A) => T) & Pick<typeof tf.layers.Layer, 'fromConfig'> {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className] as [unknown, unknown] | undefined;
  if (entry == null) throw new Error(`tfjs-layers registers no class '${className}'`);
  return entry[0] as (new (args: A) => T) & Pick<typeof tf.layers.Layer, 'fromConfig'>;
}
