import * as tf from '@tensorflow/tfjs';
import type { Objective } from './algorithms/cg';
import { lossAndGrad } from './model';
import { paramTensors } from './params';
import type { NetworkSpec, Params } from './types';

/**
 * Flat-vector view of the MLP's parameters (order W_1, b_1, W_2, b_2, …, row-major, as params.ts flattens), and
 * the network loss as a generic Objective for the CG core. Each evaluation uploads θ as float32 tensors, runs the
 * explicit backward pass and reads loss and gradient back in one transfer.
 */

/** Parameters as one Float64Array (one synchronous read). */
export function paramsToFlat(p: Params): Float64Array {
  const packed = tf.tidy(() => tf.concat(paramTensors(p).map((t) => tf.reshape(t, [-1]))));
  const out = Float64Array.from(packed.dataSync());
  packed.dispose();
  return out;
}

/** New float32 parameter tensors from a flat vector; the caller owns them. */
export function flatToParams(x: ArrayLike<number>, sizes: number[]): Params {
  const out: Params = [];
  let o = 0;
  for (let l = 1; l < sizes.length; l++) {
    const din = sizes[l - 1];
    const dout = sizes[l];
    const w = new Float32Array(din * dout);
    for (let i = 0; i < w.length; i++) w[i] = x[o + i];
    o += w.length;
    const b = new Float32Array(dout);
    for (let i = 0; i < dout; i++) b[i] = x[o + i];
    o += dout;
    out.push({ W: tf.tensor2d(w, [din, dout]), b: tf.tensor1d(b) });
  }
  if (o !== x.length) throw new Error(`parameter vector has ${x.length} entries, network needs ${o}`);
  return out;
}

/** Loss and gradient of the network on (x, y) as a CG objective. Layers below `frozenBelow` get zero gradient. */
export function netObjective(net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D, frozenBelow = 0): Objective {
  let dim = 0;
  for (let l = 1; l < net.sizes.length; l++) dim += net.sizes[l - 1] * net.sizes[l] + net.sizes[l];
  return {
    dim,
    precision: 'float32',
    evaluate(theta) {
      const packed = tf.tidy(() => {
        const params = flatToParams(theta, net.sizes);
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
