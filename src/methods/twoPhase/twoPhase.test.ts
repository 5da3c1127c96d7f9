import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Experiment } from '../../engine/experiment';
import { defaultExperiment } from '../defaultExperiment';
import { buildProblem, disposeProblem } from '../../engine/problem';
import { useCpu } from '../../testing/cpu';
import type { Algorithm, AlgorithmState, Hyper, Problem, StepResult } from '../../engine/types';
import { defaultHyper } from '../registry';
import { adamAlgorithm } from '../adam/adam';
import { getAlgorithm } from '../algorithms';
import { cgAlgorithm } from '../cg/cgNetwork';
import { twoPhaseAlgorithm } from './twoPhase';
import { CG_SPEC } from '../cg/cg.hyper';
import { TWO_PHASE_SPEC } from './twoPhase.hyper';
import { legacyInit } from '../../engine/init';

beforeAll(useCpu);

const noLoader = async (): Promise<Uint8Array> => {
  throw new Error('synthetic data needs no files');
};

function smallExperiment(batchSize: number, initScale: number, kind: 'moons' | 'spiral' = 'moons'): Experiment {
  const e = defaultExperiment();
  e.dataset = { ...e.dataset, kind, trainSize: kind === 'moons' ? 64 : 200, testSize: 16, noise: kind === 'moons' ? 0.1 : 0.3 };
  e.network = { hidden: kind === 'moons' ? [8] : [16, 16], activation: 'tanh', outputLink: 'softmax', loss: 'ce', init: legacyInit(initScale) };
  e.training = { ...e.training, batchSize, seed: 3 };
  return e;
}

function run<S extends AlgorithmState>(alg: Algorithm<S>, problem: Problem, hyper: Hyper, steps: number, onStep?: (r: StepResult<S>, k: number) => void) {
  let s = alg.init(problem, hyper, 1);
  const results: StepResult<S>[] = [];
  for (let k = 0; k < steps; k++) {
    const r = alg.step(s);
    s = r.state;
    results.push(r);
    onStep?.(r, k);
    if (r.finished) break;
  }
  return { state: s, results };
}

describe('two-phase and CG algorithms', () => {
  it('are registered with specs whose defaults follow the notes', () => {
    expect(getAlgorithm('twophase')).toBe(twoPhaseAlgorithm);
    expect(getAlgorithm('cg')).toBe(cgAlgorithm);
    const h = defaultHyper(TWO_PHASE_SPEC);
    expect(h).toMatchObject({ lr: 1e-3, beta1: 0.9, beta2: 0.999, rho: 0.9, emaAlpha: 0.3, minEpochs: 3, patience: 2, swapMode: 'auto', cgVariant: 'pr+', nRestart: 50, c1: 1e-4, c2: 0.1, maxLineSearchEvals: 20, cgBatch: 0 });
    expect(defaultHyper(CG_SPEC)).not.toHaveProperty('lr');
  });

  for (const [name, alg, hyper, batch] of [
    ['adam', adamAlgorithm, { lr: 0.01 }, 16],
    ['twophase (mini-batch Adam, swap at epoch 5)', twoPhaseAlgorithm, { ...defaultHyper(TWO_PHASE_SPEC), swapMode: 'at-epoch', swapEpoch: 5, probe: true }, 16],
    ['cg (mini-batch CG)', cgAlgorithm, { ...defaultHyper(CG_SPEC), cgBatch: 32 }, 0],
    ['cg (full batch)', cgAlgorithm, defaultHyper(CG_SPEC), 0],
  ] as const) {
    it(`${name}: tensor count stays flat over 500 iterations`, async () => {
      // noisy spirals: CG does not reach float32 precision within 500 iterations here, so every step does work
      const problem = await buildProblem(smallExperiment(batch, 1, 'spiral'), noLoader);
      const before = tf.memory().numTensors;
      const counts: number[] = [];
      const { state, results } = run(alg as Algorithm<AlgorithmState>, problem, hyper as Hyper, 500, () => counts.push(tf.memory().numTensors));
      expect(results.length).toBe(500);
      expect(results[499].finished).toBeUndefined();
      const tail = counts.slice(-Math.floor(counts.length / 2));
      expect(Math.max(...tail)).toBe(Math.min(...tail));
      expect(counts[counts.length - 1]).toBeLessThanOrEqual(counts[0]);
      (alg as Algorithm<AlgorithmState>).dispose(state);
      expect(tf.memory().numTensors).toBe(before);
      disposeProblem(problem);
    }, 30000);
  }

  it('from a small init: the epoch norm rises then falls, the detector swaps past the peak, CG then lowers the loss', async () => {
    const problem = await buildProblem(smallExperiment(0, 0.01), noLoader);
    const hyper = { ...defaultHyper(TWO_PHASE_SPEC), lr: 0.01 };
    const { state, results } = run(twoPhaseAlgorithm, problem, hyper, 400);
    const epochs = results.filter((r) => r.metrics.extra.phase === 0);
    const swapIdx = results.findIndex((r) => r.metrics.extra.swap === 1);
    expect(swapIdx).toBeGreaterThan(3);
    const sw = results[swapIdx].metrics.extra;
    // full batch: every Adam step is an epoch and carries the (loss, ‖g‖) pair and the detector's series
    for (const r of epochs) {
      expect(r.metrics.extra.epochGradNorm).toBeCloseTo(r.metrics.gradNorm, 6);
      expect(r.metrics.extra.threshold).toBeGreaterThan(0);
    }
    const norms = epochs.map((r) => r.metrics.extra.epochGradNorm);
    const peak = norms.indexOf(Math.max(...norms));
    expect(peak).toBeGreaterThan(0); // it rose first
    expect(sw.swapEpoch).toBeGreaterThan(peak + 1);
    expect(sw.epochGradNormSmoothed).toBeLessThan(sw.threshold);
    expect(sw.swapLoss).toBe(results[swapIdx].metrics.loss);
    expect(results.filter((r) => r.metrics.extra.swap === 1)).toHaveLength(1);
    // phase 1: CG internals present, descent directions, monotone full-batch loss, cost = evaluations
    const cg = results.slice(swapIdx + 1);
    expect(cg.length).toBeGreaterThan(5);
    let prevLoss = sw.swapLoss;
    let prevCost = results[swapIdx].metrics.cost;
    for (const r of cg) {
      const x = r.metrics.extra;
      expect(x.phase).toBe(1);
      expect(x.dirDeriv).toBeLessThan(0);
      if (!r.finished) {
        expect(r.metrics.loss).toBeLessThan(prevLoss);
        expect(x.alpha).toBeGreaterThan(0);
        expect(x.beta).toBeGreaterThanOrEqual(0);
      }
      expect(r.metrics.cost - prevCost).toBe(x.lineSearchEvals);
      prevLoss = r.metrics.loss;
      prevCost = r.metrics.cost;
    }
    expect(cg[cg.length - 1].metrics.loss).toBeLessThan(0.5 * sw.swapLoss);
    twoPhaseAlgorithm.dispose(state);
    disposeProblem(problem);
  }, 30000);

  it('mini-batch Adam: epochs end every ⌊N/B⌋ steps with one uncounted monitoring evaluation; "never" never swaps', async () => {
    const problem = await buildProblem(smallExperiment(16, 1), noLoader);
    const { state, results } = run(twoPhaseAlgorithm, problem, { ...defaultHyper(TWO_PHASE_SPEC), swapMode: 'never' }, 40);
    results.forEach((r, k) => {
      const epochEnd = (k + 1) % 4 === 0;
      expect('epochGradNorm' in r.metrics.extra).toBe(epochEnd);
      expect(r.metrics.cost).toBeCloseTo((k + 1) * 0.25, 10);
      if (epochEnd) expect(r.metrics.extra.monitorEvals).toBe((k + 1) / 4);
      expect(r.metrics.extra.phase).toBe(0);
    });
    twoPhaseAlgorithm.dispose(state);
    disposeProblem(problem);
  });
});
