import * as tf from '@tensorflow/tfjs';
import { logits, lossAndGrad, lossFromLogits } from './model';
import { disposeParams, paramTensors, sumSquares } from './params';
import { readAndDispose } from './scalars';
import type { NetworkSpec, Params } from './types';

export interface Evaluation {
  loss: number;
  /** Classification accuracy; NaN for a regression target. */
  accuracy: number;
}

/**
 * Data loss and accuracy of the ordinary forward network on a whole set (the test split), one synchronous read. The
 * weight-decay term is not added: it is a property of the weights, not of the set (the training objective, from
 * evaluateWithGradient, includes it).
 */
export function evaluate(params: Params, net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D, classification: boolean): Evaluation {
  const [loss, acc] = readAndDispose(
    tf.tidy(() => {
      const z = logits(params, net, x);
      const l = lossFromLogits(z, y, net);
      const a = classification ? tf.mean(tf.cast(tf.equal(tf.argMax(z, 1), tf.argMax(y, 1)), 'float32')) : tf.scalar(NaN);
      return [l, a];
    }),
  );
  return { loss, accuracy: acc };
}

/**
 * Objective (data loss + weight decay), accuracy and the norm of the full-batch gradient of the objective, from one forward and one
 * backward pass over the set (the run's periodic evaluation on the training set).
 */
export function evaluateWithGradient(params: Params, net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D, classification: boolean): Evaluation & { gradNorm: number } {
  const { loss, grads, accuracy } = lossAndGrad(params, net, x, y, { withAccuracy: classification });
  const [l, n2, acc] = readAndDispose([loss, sumSquares(paramTensors(grads)), accuracy ?? tf.scalar(NaN)]);
  disposeParams(grads);
  return { loss: l, accuracy: acc, gradNorm: Math.sqrt(n2) };
}
