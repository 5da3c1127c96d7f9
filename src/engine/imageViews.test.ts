import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultExperiment } from '../methods/defaultExperiment';
import { defaultRun } from '../methods/registry';
import { startTrainingRun } from '../methods/algorithms';
import { useCpu } from '../testing/cpu';
import { nodeLoader } from '../testing/nodeLoader';
import type { DatasetConfig } from './experiment';
import { classNamesOf } from './imageClasses';
import { computeImageViews, confusionCounts, filterImages, MAX_MISCLASSIFIED } from './imageViews';
import { buildLayout, denseStages } from './layers';
import type { NetworkSpec, Params } from './types';

beforeAll(useCpu);

/** A 2×2-pixel "image" dataset: the views only need the resolution and the class selection. */
const tiny: DatasetConfig = { kind: 'mnist', seed: 1, noise: 0, trainSize: 4, testSize: 4, resolution: 2, classes: [] };

/** A linear softmax model on 4 pixels and 3 classes whose scores are pixels 0, 1 and 2: it predicts the brightest of them. */
function linearNet(): { net: NetworkSpec; params: Params } {
  const W = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [0, 0, 0],
  ];
  return {
    net: { sizes: [4, 3], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: defaultExperiment().network.init },
    params: [{ W: tf.tensor2d(W), b: tf.zeros([3]) as tf.Tensor1D }],
  };
}

function split(x: number[][], labels: number[], k = 3) {
  const y = labels.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0)));
  return { xTest: tf.tensor2d(x), yTest: tf.tensor2d(y) };
}

describe('confusion counts', () => {
  it('counts (true, predicted) pairs with the true class as the row', () => {
    // truth 0 0 1 2 2 2, predicted 0 1 1 2 0 2: (0,0) (0,1) (1,1) (2,2) (2,0) (2,2)
    const c = confusionCounts([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3);
    expect(Array.from(c)).toEqual([1, 1, 0, 0, 1, 0, 1, 0, 2]);
  });
});

describe('image views of a network', () => {
  it('gives the confusion matrix, the mistakes in test order with their confidence, and the chosen image through every layer', () => {
    const { net, params } = linearNet();
    // Rows predict: class 0, 1, 2, 1, 0 (the largest of the first three pixels); labels 0, 1, 1, 2, 2.
    const data = split(
      [
        [0.9, 0.1, 0.0, 0.5],
        [0.0, 0.8, 0.2, 0.0],
        [0.1, 0.2, 0.7, 0.0],
        [0.3, 0.6, 0.1, 1.0],
        [0.5, 0.0, 0.0, 0.0],
      ],
      [0, 1, 1, 2, 2],
    );
    const v = computeImageViews(params, net, { data: { ...data, xTrain: data.xTest, yTrain: data.yTest, numClasses: 3, name: 't' } }, tiny, 3, 7);
    expect(v.iteration).toBe(7);
    expect(v.side).toBe(2);
    expect(v.classNames).toEqual(['0', '1', '2']);
    expect(v.testCount).toBe(5);
    // rows: true 0 → [1,0,0]; true 1 → [0,1,1]; true 2 → [1,1,0]
    expect(Array.from(v.confusion.counts)).toEqual([1, 0, 0, 0, 1, 1, 1, 1, 0]);
    expect(v.misclassifiedTotal).toBe(3);
    expect(v.misclassified.map((m) => [m.index, m.trueLabel, m.predicted])).toEqual([
      [2, 1, 2],
      [3, 2, 1],
      [4, 2, 0],
    ]);
    // softmax of (0.3, 0.6, 0.1) at class 1
    const e = [0.3, 0.6, 0.1].map(Math.exp);
    expect(v.misclassified[1].confidence).toBeCloseTo(e[1] / (e[0] + e[1] + e[2]), 5);
    expect(Array.from(v.misclassifiedPixels.slice(4, 8))).toEqual([0.3, 0.6, 0.1, 1.0].map(Math.fround));
    // The chosen image (test row 3): its pixels, its label and prediction, and the output layer as probabilities.
    expect(v.featureMaps.index).toBe(3);
    expect(v.featureMaps.trueLabel).toBe(2);
    expect(v.featureMaps.predicted).toBe(1);
    expect(Array.from(v.featureMaps.pixels)).toEqual([0.3, 0.6, 0.1, 1.0].map(Math.fround));
    expect(v.featureMaps.layers).toHaveLength(1);
    const out = v.featureMaps.layers[0];
    expect(out.kind === 'dense' && out.output).toBe(true);
    expect(out.values[1]).toBeCloseTo(v.misclassified[1].confidence, 5);
    // The first layer's filters: unit j's weights as a 2×2 picture (pixel j lit).
    expect(v.filters).toMatchObject({ kind: 'dense', side: 2, count: 3, total: 3 });
    expect(Array.from(v.filters.values)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
    tf.dispose([data.xTest, data.yTest, params[0].W, params[0].b]);
  });

  it('clamps the chosen image to the test split and maps standardised pixels back to the stored ones', () => {
    const { net, params } = linearNet();
    const raw = [
      [0.2, 0.4, 0.0, 1.0],
      [0.6, 0.0, 0.8, 1.0],
    ];
    const mean = Float32Array.from([0.4, 0.2, 0.4, 1.0]);
    const std = Float32Array.from([0.2, 0.2, 0.4, 0]); // a constant pixel is only centred
    const standardised = raw.map((r) => r.map((v, j) => (v - mean[j]) / (std[j] > 1e-12 ? std[j] : 1)));
    const data = split(standardised, [0, 2]);
    const v = computeImageViews(params, net, { data: { ...data, xTrain: data.xTest, yTrain: data.yTest, numClasses: 3, name: 't', inputStats: { mean, std } } }, tiny, 99, 0);
    expect(v.featureMaps.index).toBe(1);
    Array.from(v.featureMaps.pixels).forEach((p, j) => expect(p).toBeCloseTo(raw[1][j], 5));
    tf.dispose([data.xTest, data.yTest, params[0].W, params[0].b]);
  });

  it('leaves no tensor behind over repeated calls', () => {
    const { net, params } = linearNet();
    const data = split([[0.9, 0.1, 0, 0], [0, 0.1, 0.9, 0]], [1, 2]);
    const problem = { data: { ...data, xTrain: data.xTest, yTrain: data.yTest, numClasses: 3, name: 't' } };
    computeImageViews(params, net, problem, tiny, 0, 0);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) computeImageViews(params, net, problem, tiny, i % 2, i);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([data.xTest, data.yTest, params[0].W, params[0].b]);
  });
});

describe('filters as pictures', () => {
  it("lays a dense unit's incoming weights out as the image (column j, pixel p = W[p, j])", () => {
    // W is [4 pixels, 2 units], row-major: W[p, j] = 10 p + j
    const W = Float32Array.from([0, 1, 10, 11, 20, 21, 30, 31]);
    const f = filterImages(W, 4, 2, denseStages([4, 2], 'relu')[0], 2);
    expect(Array.from(f.values)).toEqual([0, 10, 20, 30, 1, 11, 21, 31]);
  });

  it('reads a conv filter from row (ky·kernel + kx)·inChannels + c, input channel 0', () => {
    const kernel = 2, inChannels = 2, filters = 3;
    // W[(ky·2 + kx)·2 + c, f] = 100 ky + 10 kx + c + 1000 f
    const W = new Float32Array(kernel * kernel * inChannels * filters);
    for (let ky = 0; ky < kernel; ky++)
      for (let kx = 0; kx < kernel; kx++)
        for (let c = 0; c < inChannels; c++)
          for (let f = 0; f < filters; f++) W[((ky * kernel + kx) * inChannels + c) * filters + f] = 100 * ky + 10 * kx + c + 1000 * f;
    const conv = buildLayout([{ type: 'conv2d', filters, kernel }, { type: 'flatten' }], { image: [4, 4, inChannels] }, 2, 'relu').stages[0];
    const out = filterImages(W, kernel * kernel * inChannels, filters, conv, 28, 2);
    expect(out).toMatchObject({ kind: 'conv', side: 2, count: 2, total: 3 });
    expect(Array.from(out.values)).toEqual([0, 10, 100, 110, 1000, 1010, 1100, 1110]);
  });

  it('refuses a first dense layer that does not read an image of the given side', () => {
    expect(() => filterImages(new Float32Array(6), 3, 2, denseStages([3, 2], 'relu')[0], 2)).toThrow(/3 inputs/);
  });
});

describe('class names', () => {
  it("follows the dataset's class selection and relabelling", () => {
    expect(classNamesOf({ ...tiny, kind: 'fashion', classes: [9, 0, 5] })).toEqual(['Ankle boot', 'T-shirt/top', 'Sandal']);
    expect(classNamesOf({ ...tiny, classes: [] })).toHaveLength(10);
  });
});

describe('a training run on MNIST', () => {
  it('reports views that agree with its test accuracy, change as it trains, and leave no tensor behind', async () => {
    const e = defaultExperiment();
    e.dataset = { kind: 'mnist', seed: 1, noise: 0, trainSize: 300, testSize: 120, resolution: 14, classes: [3, 8] };
    e.network.hidden = [6];
    e.training = { ...e.training, batchSize: 32, maxIterations: 100, evalEvery: 10 };
    e.runs = [{ algorithm: 'adam', hyper: { ...defaultRun('adam').hyper, lr: 0.01 } }];
    const run = await startTrainingRun(e, 0, nodeLoader);
    const first = run.imageViews(5)!;
    let last = run.step().point;
    for (let i = 1; i < 30; i++) last = run.step().point;
    const before = tf.memory().numTensors;
    const v = run.imageViews(5)!;
    for (let i = 0; i < 5; i++) run.imageViews(i);
    expect(tf.memory().numTensors).toBe(before);

    expect(v.classNames).toEqual(['3', '8']);
    expect(v.side).toBe(14);
    const counts = Array.from(v.confusion.counts);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(120);
    expect(counts[0] + counts[3]).toBe(120 - v.misclassifiedTotal);
    expect((counts[0] + counts[3]) / 120).toBeCloseTo(last.testAccuracy!, 5);
    expect(v.misclassified.length).toBe(Math.min(MAX_MISCLASSIFIED, v.misclassifiedTotal));
    for (const m of v.misclassified) expect(m.trueLabel).not.toBe(m.predicted);
    expect(v.misclassifiedPixels.length).toBe(v.misclassified.length * 196);
    expect(v.filters).toMatchObject({ kind: 'dense', side: 14, count: 6, total: 6 });
    expect(v.featureMaps.layers.map((l) => l.values.length)).toEqual([6, 2]);
    expect(v.featureMaps.index).toBe(5);
    // Training moved the first layer's weights, so the filter pictures differ from the initial ones.
    expect(Array.from(v.filters.values)).not.toEqual(Array.from(first.filters.values));
    run.dispose();
  });

  it('shows a CNN\'s filters as kernel × kernel pictures and every layer\'s maps in their pooled shape', async () => {
    const e = defaultExperiment();
    e.dataset = { kind: 'mnist', seed: 1, noise: 0, trainSize: 200, testSize: 60, resolution: 14, classes: [] };
    e.network.hidden = [];
    e.network.layers = [
      { type: 'conv2d', filters: 4, kernel: 3 },
      { type: 'maxpool', size: 2 },
      { type: 'conv2d', filters: 5, kernel: 3, padding: 'same' },
      { type: 'flatten' },
      { type: 'dense', units: 7 },
    ];
    e.training = { ...e.training, batchSize: 32, maxIterations: 20, evalEvery: 10 };
    e.runs = [{ algorithm: 'adam', hyper: { ...defaultRun('adam').hyper, lr: 0.01 } }];
    const run = await startTrainingRun(e, 0, nodeLoader);
    run.step();
    run.imageViews(2);
    const before = tf.memory().numTensors;
    const v = run.imageViews(2)!;
    run.imageViews(3);
    expect(tf.memory().numTensors).toBe(before);
    expect(v.filters).toMatchObject({ kind: 'conv', side: 3, count: 4, total: 4 });
    // Filter f is column f of W reshaped to 3×3 (one input channel: row = ky·3 + kx).
    const W = run.params[0].W.arraySync() as number[][];
    for (let f = 0; f < 4; f++)
      for (let p = 0; p < 9; p++) expect(v.filters.values[f * 9 + p]).toBeCloseTo(W[p][f], 6);
    // 14×14 → conv 3 (valid) 12×12 → max-pool 2: 6×6 × 4; conv 3 (same): 6×6 × 5; dense 7; output 10.
    expect(v.featureMaps.layers.map((l) => (l.kind === 'conv' ? [l.convH, l.height, l.width, l.channels] : [l.units]))).toEqual([[12, 6, 6, 4], [6, 6, 6, 5], [7], [10]]);
    expect(v.featureMaps.layers.map((l) => l.values.length)).toEqual([144, 180, 7, 10]);
    const probs = Array.from(v.featureMaps.layers[3].values);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(probs.indexOf(Math.max(...probs))).toBe(v.featureMaps.predicted);
    expect(Array.from(v.confusion.counts).reduce((a, b) => a + b, 0)).toBe(60);
    run.dispose();
  });

  it('has no image views on a 2-D dataset', async () => {
    const e = defaultExperiment();
    e.runs = [defaultRun('sgd')];
    const run = await startTrainingRun(e, 0, nodeLoader);
    expect(run.imageViews(0)).toBeNull();
    run.dispose();
  });
});
