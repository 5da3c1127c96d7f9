import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultExperiment } from '../../methods/defaultExperiment';
import { useCpu } from '../../testing/cpu';
import { nodeLoader } from '../../testing/nodeLoader';
import { buildDataSplit } from './build';
import { decodeImageSet, downsample2x, encodeImageSet } from './shipped';
import { generate2D, SYNTHETIC_KINDS } from './synthetic';

beforeAll(useCpu);

describe('2-D datasets', () => {
  for (const kind of SYNTHETIC_KINDS) {
    it(`${kind}: seeded, balanced, finite, and changed by the seed`, () => {
      const a = generate2D(kind, 300, 0.1, 4);
      const b = generate2D(kind, 300, 0.1, 4);
      const c = generate2D(kind, 300, 0.1, 5);
      expect(Array.from(a.x)).toEqual(Array.from(b.x));
      expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
      expect(a.x.every(Number.isFinite)).toBe(true);
      const counts = new Array(a.numClasses).fill(0);
      a.label.forEach((l) => counts[l]++);
      for (const n of counts) expect(n).toBeGreaterThanOrEqual(Math.floor(300 / a.numClasses));
      expect(Math.max(...a.x.map(Math.abs))).toBeLessThan(2.5);
    });
  }
});

describe('shipped image datasets', () => {
  it('encode/decode round-trips and rejects damaged files', () => {
    const set = { n: 3, d: 4, numClasses: 10, labels: Uint8Array.from([1, 9, 0]), pixels: Uint8Array.from({ length: 12 }, (_, i) => i * 20) };
    const back = decodeImageSet(encodeImageSet(set));
    expect(Array.from(back.labels)).toEqual([1, 9, 0]);
    expect(Array.from(back.pixels)).toEqual(Array.from(set.pixels));
    const bytes = encodeImageSet(set);
    expect(() => decodeImageSet(bytes.subarray(0, bytes.length - 1))).toThrow(/header implies/);
    const bad = Uint8Array.from(bytes);
    bad[0] = 0x58;
    expect(() => decodeImageSet(bad)).toThrow(/magic/);
    const badLabel = Uint8Array.from(bytes);
    badLabel[16] = 12;
    expect(() => decodeImageSet(badLabel)).toThrow(/label 12/);
  });

  it('downsamples 28×28 to 14×14 by 2×2 averages', () => {
    const img = new Uint8Array(784);
    img[0] = 100; img[1] = 200; img[28] = 0; img[29] = 100; // top-left block averages to 100
    const out = downsample2x(img, 1, 28);
    expect(out.length).toBe(196);
    expect(out[0]).toBe(100);
    expect(out[1]).toBe(0);
  });

  it('builds an MNIST split with the requested classes relabelled 0..k−1', async () => {
    const cfg = { ...defaultExperiment().dataset, kind: 'mnist' as const, trainSize: 300, testSize: 100, classes: [3, 7], resolution: 14 };
    const split = await buildDataSplit(cfg, nodeLoader);
    expect(split.xTrain.shape).toEqual([300, 196]);
    expect(split.yTrain.shape).toEqual([300, 2]);
    const sums = (tf.sum(split.yTrain, 0).dataSync() as Float32Array);
    expect(sums[0] + sums[1]).toBe(300);
    expect(sums[0]).toBeGreaterThan(100);
    const maxPixel = tf.max(split.xTrain).dataSync()[0];
    expect(maxPixel).toBeLessThanOrEqual(1);
    expect(maxPixel).toBeGreaterThan(0.5);
    tf.dispose([split.xTrain, split.yTrain, split.xTest, split.yTest]);
  });
});
