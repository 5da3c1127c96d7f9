import * as tf from '@tensorflow/tfjs';
import type { Objective } from './linesearch';
import { lossAndGrad } from './model';
import { flattenParams, paramCount, paramTensors, unflattenParams } from './params';
import type { NetworkSpec, Params } from './types';

/**
 * Flat-vector view of the MLP's parameters (order W_1, b_1, W_2, b_2, …, row-major, as params.ts flattens), and
 * the network loss as a generic Objective for the CG core. Each evaluation uploads θ as float32 tensors, runs the
 * explicit backward pass and reads loss and gradient back in one transfer.
 */

/** Parameters as one Float64Array (one synchronous read); the CG core works in float64. */
export function paramsToFlat(p: Params): Float64Array {
  return Float64Array.from(flattenParams(p));
}

/** New float32 parameter tensors from a flat vector; the caller owns them. */
export const flatToParams = unflattenParams;

/** Loss and gradient of the network on (x, y) as a CG objective. Layers below `frozenBelow` get zero gradient. */
export function netObjective(net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D, frozenBelow = 0): Objective {
  const dim = paramCount(net);
  return {
    dim,
    precision: 'float32',
    evaluate(theta) {
      const packed = tf.tidy(() => {
        const params = flatToParams(theta, net);
        const { loss, grads } = lossAndGrad(params, net, x, y, { frozenBelow });
        return tf.concat([tf.reshape(loss, [1]), ...paramTensors(grads).map((t) => tf.reshape(t, [-1]))]);
      });
      const v = packed.dataSync();
      packed.dispose();
      const g = new Float64Array(dim);
      for (let i = 0; i < dim; i++) g[i] = v[i + 1];
      return { f: v[0], g };
    },
  };
}
