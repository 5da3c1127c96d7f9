import * as tf from '@tensorflow/tfjs';
import type { DataSplit } from '../types';

/**
 * Input standardisation (a dataset option): every feature is shifted and scaled by the mean and standard deviation
 * of the *training* split, and the test split is transformed with the same numbers, so nothing about the test set
 * leaks into training. A feature that is constant on the training split (std 0, e.g. a blank MNIST border pixel) is
 * only centred. The lifted methods' reference protocols (algorithms.md §5) standardise each split by its own
 * statistics; with 1,000 draws from the same law the two differ by sampling noise only, and train statistics are
 * what a deployed model can use.
 */
export interface FeatureStats {
  mean: Float32Array;
  std: Float32Array;
}

export function trainingFeatureStats(xTrain: tf.Tensor2D): FeatureStats {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(xTrain, 0);
    return { mean: mean.dataSync() as Float32Array, std: tf.sqrt(variance).dataSync() as Float32Array };
  });
}

/** Standardises raw inputs with given statistics (also used for the decision-boundary grid, drawn in raw units). */
export function applyStats(x: tf.Tensor2D, s: FeatureStats): tf.Tensor2D {
  return tf.tidy(() => {
    const scale = s.std.map((v) => (v > 1e-12 ? 1 / v : 1));
    return tf.mul(tf.sub(x, tf.tensor1d(s.mean)), tf.tensor1d(scale)) as tf.Tensor2D;
  });
}

/** A new split with standardised inputs (the labels are shared, not copied); the given split's inputs are disposed. */
export function standardizeSplit(d: DataSplit): DataSplit {
  const stats = trainingFeatureStats(d.xTrain);
  const xTrain = applyStats(d.xTrain, stats);
  const xTest = applyStats(d.xTest, stats);
  d.xTrain.dispose();
  d.xTest.dispose();
  return { ...d, xTrain, xTest, name: `${d.name}, standardised`, inputStats: stats };
}
