import * as tf from '@tensorflow/tfjs';
import type { DatasetConfig } from './experiment';
import { classNamesOf } from './imageClasses';
import type { Stage } from './layers';
import { applyLink, forwardAll, logits, stagesOf } from './model';
import type { NetworkSpec, Params, Problem } from './types';

/**
 * What a lecture shows of a network trained on images (issue #28, item 4), computed from the current parameters:
 * the confusion matrix on the test split, the test images it currently gets wrong, the first layer's weights as
 * images, and what every layer makes of one chosen test image. Plain typed arrays, ready to post from the worker;
 * every tensor made here is disposed before returning.
 */

/** How many misclassified test images and first-layer filters are sent at most (a grid a slide can show). */
export const MAX_MISCLASSIFIED = 24;
export const MAX_FILTERS = 32;

export interface ConfusionMatrix {
  /** k × k counts, row-major: row = true class, column = predicted class. */
  counts: Int32Array;
  k: number;
}

export interface MisclassifiedImage {
  /** Index into the test split. */
  index: number;
  trueLabel: number;
  predicted: number;
  /** The network's output for the predicted class: its probability with a softmax output. */
  confidence: number;
}

/** The first layer's weights drawn as images: one `side` × `side` picture per unit (MLP) or filter (conv). */
export interface FilterImages {
  kind: 'dense' | 'conv';
  side: number;
  /** How many are sent (at most MAX_FILTERS), of `total` in the layer. */
  count: number;
  total: number;
  /** count × side × side, row-major per picture. */
  values: Float32Array;
}

/** One parametric layer's output for the chosen image: conv as h × w × channels (NHWC), dense as a vector. */
export type FeatureMapLayer =
  | { kind: 'dense'; units: number; output: boolean; values: Float32Array }
  | {
      kind: 'conv';
      /** The convolution's kernel side and output size before pooling; height × width is the output after it. */
      kernel: number;
      convH: number;
      convW: number;
      height: number;
      width: number;
      channels: number;
      values: Float32Array;
    };

export interface FeatureMaps {
  /** Index into the test split of the image shown. */
  index: number;
  trueLabel: number;
  predicted: number;
  pixels: Float32Array;
  /** One per parametric layer; the last is the output layer, as class probabilities. */
  layers: FeatureMapLayer[];
}

export interface ImageViews {
  iteration: number;
  /** The output link: with 'softmax' the outputs shown are class probabilities. */
  outputLink: NetworkSpec['outputLink'];
  /** Image side in pixels (the dataset's resolution). */
  side: number;
  classNames: string[];
  confusion: ConfusionMatrix;
  testCount: number;
  /** Misclassified test images in test-split order, the first MAX_MISCLASSIFIED of `misclassifiedTotal`. */
  misclassified: MisclassifiedImage[];
  misclassifiedTotal: number;
  /** misclassified.length × side × side pixels in [0, 1] (ink 1), row-major per image. */
  misclassifiedPixels: Float32Array;
  filters: FilterImages;
  featureMaps: FeatureMaps;
}

/** Counts of (true, predicted) pairs: rows are true classes. */
export function confusionCounts(truth: ArrayLike<number>, predicted: ArrayLike<number>, k: number): Int32Array {
  const counts = new Int32Array(k * k);
  for (let i = 0; i < truth.length; i++) counts[truth[i] * k + predicted[i]]++;
  return counts;
}

/**
 * The first layer's weights as pictures. A dense first layer's W is [side², units]: unit j's incoming weights,
 * column j, laid out as the image they multiply. A conv layer's W is [kernel² · inChannels, filters] with row
 * (ky · kernel + kx) · inChannels + c (TF.js's [kh, kw, cin, cout] reshaped): filter f on input channel 0.
 */
export function filterImages(W: Float32Array, rows: number, cols: number, first: Stage, side: number, limit = MAX_FILTERS): FilterImages {
  const count = Math.min(cols, limit);
  if (first.kind === 'conv') {
    const k = first.kernel;
    const values = new Float32Array(count * k * k);
    for (let f = 0; f < count; f++)
      for (let p = 0; p < k * k; p++) values[f * k * k + p] = W[p * first.inC * cols + f];
    return { kind: 'conv', side: k, count, total: cols, values };
  }
  if (rows !== side * side) throw new Error(`the first layer has ${rows} inputs, not the ${side}×${side} pixels of an image`);
  const values = new Float32Array(count * rows);
  for (let j = 0; j < count; j++) for (let p = 0; p < rows; p++) values[j * rows + p] = W[p * cols + j];
  return { kind: 'dense', side, count, total: cols, values };
}

/**
 * Test pixels as the dataset stored them, in [0, 1]: standardised inputs (dataset.standardize) are mapped back with
 * the training statistics, so that a picture shows the digit and not its z-scores.
 */
function rawPixels(x: Float32Array, d: number, stats: Problem['data']['inputStats']): Float32Array {
  if (!stats) return x;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const s = stats.std[i % d];
    out[i] = x[i] * (s > 1e-12 ? s : 1) + stats.mean[i % d];
  }
  return out;
}

/**
 * The views of one network on an image dataset. `imageIndex` (clamped to the test split) is the test image whose
 * feature maps are shown.
 */
export function computeImageViews(
  params: Params,
  net: NetworkSpec,
  problem: Pick<Problem, 'data'>,
  dataset: DatasetConfig,
  imageIndex: number,
  iteration: number,
): ImageViews {
  const stages = stagesOf(net);
  const { xTest, yTest, inputStats } = problem.data;
  const [n, d] = xTest.shape;
  const side = dataset.resolution;
  if (side * side !== d) throw new Error(`test images have ${d} pixels, not ${side}×${side}`);
  const k = yTest.shape[1];
  const chosen = Math.min(Math.max(0, Math.floor(imageIndex)), n - 1);

  // One pass over the test split for the predictions; one for the chosen image's every layer.
  const [predT, confT, truthT] = tf.tidy(() => {
    // logits() passes a convolutional network's test split in row blocks, as the evaluation does.
    const probs = applyLink(logits(params, net, xTest), net.outputLink);
    return [tf.argMax(probs, 1), tf.max(probs, 1), tf.argMax(yTest, 1)];
  });
  const predicted = predT.dataSync() as Int32Array;
  const confidence = confT.dataSync() as Float32Array;
  const truth = truthT.dataSync() as Int32Array;
  tf.dispose([predT, confT, truthT]);

  const misclassified: MisclassifiedImage[] = [];
  let misclassifiedTotal = 0;
  for (let i = 0; i < n; i++) {
    if (predicted[i] === truth[i]) continue;
    misclassifiedTotal++;
    if (misclassified.length < MAX_MISCLASSIFIED) misclassified.push({ index: i, trueLabel: truth[i], predicted: predicted[i], confidence: confidence[i] });
  }
  const picked = [...misclassified.map((m) => m.index), chosen];
  const pickedPixels = tf.tidy(() => tf.gather(xTest, tf.tensor1d(picked, 'int32')));
  const pixels = rawPixels(pickedPixels.dataSync() as Float32Array, d, inputStats);
  pickedPixels.dispose();

  const layerOuts = tf.tidy(() => {
    const outs = forwardAll(params, net, tf.slice(xTest, [chosen, 0], [1, d]));
    // The first entry is the input itself; the output layer's logits go through the link (softmax: probabilities).
    return outs.slice(1).map((o, l) => (l === outs.length - 2 ? applyLink(o, net.outputLink) : o.clone()));
  });
  const layers: FeatureMapLayer[] = layerOuts.map((t, l) => {
    const values = Float32Array.from(t.dataSync());
    const st = stages[l];
    if (st.kind === 'conv') return { kind: 'conv', kernel: st.kernel, convH: st.convH, convW: st.convW, height: st.outH, width: st.outW, channels: st.filters, values };
    return { kind: 'dense', units: values.length, output: l === layerOuts.length - 1, values };
  });
  tf.dispose(layerOuts);

  const W0 = params[0].W;
  const filters = filterImages(W0.dataSync() as Float32Array, W0.shape[0], W0.shape[1], stages[0], side);

  return {
    iteration,
    outputLink: net.outputLink,
    side,
    classNames: classNamesOf(dataset).slice(0, k),
    confusion: { counts: confusionCounts(truth, predicted, k), k },
    testCount: n,
    misclassified,
    misclassifiedTotal,
    misclassifiedPixels: pixels.slice(0, misclassified.length * d),
    filters,
    featureMaps: { index: chosen, trueLabel: truth[chosen], predicted: predicted[chosen], pixels: pixels.slice(misclassified.length * d), layers },
  };
}

/** The buffers of a views record, to transfer rather than copy when posting it. */
export function imageViewBuffers(v: ImageViews): ArrayBuffer[] {
  const arrays = [v.confusion.counts, v.misclassifiedPixels, v.filters.values, v.featureMaps.pixels, ...v.featureMaps.layers.map((l) => l.values)];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}
