import * as tf from '@tensorflow/tfjs';
import type { LiftedView, Params, Problem } from '../../engine/types';

/** The parts of an mDLAM state the view reads (structural, so mdlam.ts and this file do not import each other). */
export interface MdlamLiftedParts {
  problem: Problem;
  params: Params;
  /** a_1..a_{L−1}. */
  a: tf.Tensor2D[];
  /** z_1..z_L. */
  z: tf.Tensor2D[];
}

/**
 * One hidden unit of an mDLAM state drawn over the training set (algorithms.md §3, "What to plot live"): the lifted
 * activation a_l[:, unit], ReLU of the lifted pre-activation z_l[:, unit] (the ε-tube constrains
 * |a_l − ReLU(z_l)| ≤ ε), and the ordinary forward-pass activation ReLU(h_{l−1} W_l + b_l) with h_0 = X at the
 * current W, b. For mDLAM "lifted pre-activation" means the variable z_l itself, not a_{l−1}W_l + b_l: the linear
 * residual between those two is the other live series (`layer<l>.linResidual`).
 *
 * Pure: reads the state, changes nothing, leaves no tensors behind. Layer is 1-based (1..L−1), unit 0-based.
 */
export function mdlamLiftedView(s: MdlamLiftedParts, layer: number, unit: number): LiftedView {
  const H = s.a.length;
  if (!Number.isInteger(layer) || layer < 1 || layer > H) throw new Error(`hidden layer ${layer} is not in 1..${H}`);
  const width = s.a[layer - 1].shape[1];
  if (!Number.isInteger(unit) || unit < 0 || unit >= width) throw new Error(`unit ${unit} is not in 0..${width - 1}`);
  const x = s.problem.data.xTrain;
  const cols = tf.tidy(() => {
    const col = (t: tf.Tensor2D) => tf.reshape(tf.slice(t, [0, unit], [-1, 1]), [-1]);
    let h: tf.Tensor2D = x;
    for (let l = 0; l < layer; l++) h = tf.relu(tf.fused.matMul({ a: h, b: s.params[l].W, bias: s.params[l].b })) as tf.Tensor2D;
    return [col(s.a[layer - 1]), col(tf.relu(s.z[layer - 1]) as tf.Tensor2D), col(h)];
  });
  const [lifted, reluOfLifted, forward] = cols.map((c) => c.dataSync() as Float32Array);
  tf.dispose(cols);
  return { layer, unit, x: x.dataSync() as Float32Array, inputDim: x.shape[1], lifted, reluOfLifted, forward };
}
