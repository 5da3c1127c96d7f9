import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDataSplit, disposeDataSplit } from './build';
import { generate2D } from './synthetic';
import { useCpu } from '../../testing/cpu';
import { nodeLoader } from '../../testing/nodeLoader';

beforeAll(useCpu);

const moons = { kind: 'moons' as const, seed: 4, noise: 0.1, trainSize: 400, testSize: 300, resolution: 28, classes: [] };

describe('input standardisation (dataset option)', () => {
  it('gives the training split mean 0 and std 1 per feature and applies the same numbers to the test split', async () => {
    const raw = await buildDataSplit(moons, nodeLoader);
    const std = await buildDataSplit({ ...moons, standardize: true }, nodeLoader);
    const { mean, variance } = tf.moments(std.xTrain, 0);
    for (const m of mean.dataSync()) expect(Math.abs(m)).toBeLessThan(1e-5);
    for (const v of variance.dataSync()) expect(Math.abs(v - 1)).toBeLessThan(1e-4);
    // test = (raw test − train mean) / train std, not the test split's own statistics
    const rm = tf.moments(raw.xTrain, 0);
    const expected = tf.div(tf.sub(raw.xTest, rm.mean), tf.sqrt(rm.variance));
    expect(tf.max(tf.abs(tf.sub(expected, std.xTest))).dataSync()[0]).toBeLessThan(1e-5);
    const te = tf.moments(std.xTest, 0);
    expect(Math.abs(te.mean.dataSync()[0])).toBeGreaterThan(1e-4); // not re-centred on itself
    expect(std.inputStats?.mean[0]).toBeCloseTo(rm.mean.dataSync()[0], 5);
    expect(std.yTrain.dataSync()).toEqual(raw.yTrain.dataSync());
    tf.dispose([mean, variance, rm.mean, rm.variance, expected, te.mean, te.variance]);
    disposeDataSplit(raw);
    disposeDataSplit(std);
  });
});

describe('two moons generator (algorithms.md §5: half the points per moon, angle uniform on [0, π])', () => {
  it('native coordinates put the points on the reference arcs; the playground ones are the same arcs centred × 0.8', () => {
    const n = 4000;
    const nat = generate2D('moons', n, 0, 11, 'native');
    const play = generate2D('moons', n, 0, 11, 'playground');
    let upper = 0;
    const angles: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = nat.x[2 * i], y = nat.x[2 * i + 1];
      if (nat.label[i] === 0) {
        upper++;
        expect(Math.hypot(x, y)).toBeCloseTo(1, 5);
        angles.push(Math.atan2(y, x));
      } else expect(Math.hypot(x - 1, y - 0.5)).toBeCloseTo(1, 5);
      expect(play.x[2 * i]).toBeCloseTo((x - 0.5) * 0.8, 5);
      expect(play.x[2 * i + 1]).toBeCloseTo((y - 0.25) * 0.8, 5);
    }
    expect(upper).toBe(n / 2);
    // uniform on [0, π]: mean π/2, variance π²/12, all inside
    const mean = angles.reduce((a, b) => a + b, 0) / angles.length;
    const variance = angles.reduce((a, b) => a + (b - mean) ** 2, 0) / angles.length;
    expect(Math.min(...angles)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...angles)).toBeLessThanOrEqual(Math.PI);
    expect(Math.abs(mean - Math.PI / 2)).toBeLessThan(0.05);
    expect(Math.abs(variance / (Math.PI ** 2 / 12) - 1)).toBeLessThan(0.06);
  });
});
