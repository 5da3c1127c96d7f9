import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { Experiment } from '../engine/experiment';
import { defaultExperiment } from '../methods/defaultExperiment';
import type { Params } from '../engine/types';
import { legacyInit } from '../engine/init';

/**
 * Shared fixtures of the lifted methods' view tests (methods/<lifted method>/liftedView.test.ts): a small
 * two-moons experiment and a plain-array forward pass to check Algorithm.liftedView against.
 */

export function moons(hidden: number[], batchSize = 0): Experiment {
  const e = defaultExperiment();
  e.dataset = { ...e.dataset, kind: 'moons', noise: 0.1, trainSize: 40, testSize: 20 };
  e.network = { hidden, activation: 'relu', outputLink: 'softmax', loss: 'ce', init: legacyInit(1) };
  e.training.batchSize = batchSize;
  return e;
}

export const rows = (t: tf.Tensor2D) => t.arraySync();
export const relu = (v: number) => (v > 0 ? v : 0);

/** h W + b, then ReLU, on plain arrays. */
export function denseRelu(h: number[][], W: number[][], b: number[]): number[][] {
  return h.map((r) => b.map((bj, j) => relu(r.reduce((acc, v, i) => acc + v * W[i][j], bj))));
}

/** Ordinary forward activations of hidden layers 1..layer on plain arrays. */
export function forwardPlain(params: Params, x: number[][], layer: number): number[][] {
  let h = x;
  for (let l = 0; l < layer; l++) h = denseRelu(h, rows(params[l].W), Array.from(params[l].b.dataSync()));
  return h;
}

export const column = (m: number[][], j: number) => m.map((r) => r[j]);

export function expectClose(got: Float32Array, want: number[], tol = 1e-5) {
  expect(got.length).toBe(want.length);
  let worst = 0;
  want.forEach((w, i) => (worst = Math.max(worst, Math.abs(got[i] - w) / Math.max(1, Math.abs(w)))));
  expect(worst).toBeLessThan(tol);
}

export const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

