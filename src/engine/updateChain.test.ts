import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../testing/cpu';
import { disposeParams, flattenParams } from './params';
import type { Params } from './types';
import { applyChain, chain, clipByGlobalNorm, disposeChain, heavyBall, initChain, inverseTimeSchedule, nesterov, type UpdateChain } from './updateChain';

/** One layer, W 2×2 and b of 2: four plus two numbers, enough to check every piece by hand. */
function params(w: number[], b: number[]): Params {
  return [{ W: tf.tensor2d(w, [2, 2]), b: tf.tensor1d(b) }];
}

/** Run `steps` updates of `c` from θ0 along the directions `dirs` (one flat 6-vector per step); θ after each. */
function run(c: UpdateChain, theta0: number[], dirs: number[][]): number[][] {
  let p = params(theta0.slice(0, 4), theta0.slice(4));
  const state = initChain(c, p);
  const out: number[][] = [];
  dirs.forEach((d, k) => {
    const dir = params(d.slice(0, 4), d.slice(4));
    const next = applyChain(c, state, p, dir, k);
    disposeParams(p);
    disposeParams(dir);
    p = next;
    out.push(Array.from(flattenParams(p)));
  });
  disposeParams(p);
  disposeChain(c, state);
  return out;
}

const theta0 = [1, -2, 0.5, 3, 0, -1];
const dirs = [
  [3, 0, 4, 0, 0, 0],
  [0.1, -0.2, 0.3, 0.05, 0, 0.1],
  [-1, 2, 0, 0.5, 1, -0.5],
];

describe('update chain pieces', () => {
  beforeAll(useCpu);

  it('Nesterov then the plain step is PyTorch SGD(nesterov=True): b ← μb + d, θ ← θ − γ(d + μb)', () => {
    const lr = 0.1, mu = 0.9;
    const got = run(chain(heavyBall(0), lr, nesterov(mu)), theta0, dirs);
    // By hand, in float64.
    let theta = [...theta0];
    let buf = theta.map(() => 0);
    const want = dirs.map((d) => {
      buf = buf.map((b, i) => mu * b + d[i]);
      theta = theta.map((t, i) => t - lr * (d[i] + mu * buf[i]));
      return theta;
    });
    got.forEach((row, k) => row.forEach((v, i) => expect(v).toBeCloseTo(want[k][i], 5)));
  });

  it('clipping by global norm scales a long direction to the bound and leaves a short one as it is', () => {
    // ‖d_0‖ = 5 → scaled by 1/5; ‖d_1‖ < 1 → unchanged.
    const got = run(chain(heavyBall(0), 1, clipByGlobalNorm(1)), theta0, dirs.slice(0, 2));
    const first = theta0.map((t, i) => t - dirs[0][i] / 5);
    const second = first.map((t, i) => t - dirs[1][i]);
    got[0].forEach((v, i) => expect(v).toBeCloseTo(first[i], 6));
    got[1].forEach((v, i) => expect(v).toBeCloseTo(second[i], 6));
  });

  it('the schedule sets each step’s size: γ0/(1 + k/k0) with heavy ball at μ = 0', () => {
    const schedule = inverseTimeSchedule(2, 10);
    expect([0, 1, 5].map(schedule)).toEqual([2, 2 / 1.1, 2 / 1.5]);
    const got = run(chain(heavyBall(0), schedule), theta0, dirs.slice(0, 2));
    const first = theta0.map((t, i) => t - 2 * dirs[0][i]);
    got[0].forEach((v, i) => expect(v).toBeCloseTo(first[i], 5));
    got[1].forEach((v, i) => expect(v).toBeCloseTo(first[i] - (2 / 1.1) * dirs[1][i], 5));
  });

  it('keeps no tensor behind: the transforms’ directions and the replaced states are disposed', () => {
    const c = chain(heavyBall(0.5), 0.1, clipByGlobalNorm(1), nesterov(0.9));
    let p = params(theta0.slice(0, 4), theta0.slice(4));
    const state = initChain(c, p);
    const dir = params(dirs[0].slice(0, 4), dirs[0].slice(4));
    const step = () => {
      const next = applyChain(c, state, p, dir, 0);
      disposeParams(p);
      p = next;
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(p);
    disposeParams(dir);
    disposeChain(c, state);
  });

  it('refuses settings outside a piece’s domain, naming them', () => {
    expect(() => nesterov(1)).toThrow('Nesterov momentum must be in [0, 1), got 1');
    expect(() => clipByGlobalNorm(0)).toThrow('the clipping norm must be > 0, got 0');
    expect(() => inverseTimeSchedule(1, 0)).toThrow("the schedule's k0 must be > 0, got 0");
  });
});
