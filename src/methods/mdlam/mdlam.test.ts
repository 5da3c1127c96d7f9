import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultExperiment } from '../defaultExperiment';
import { evaluate } from '../../engine/metrics';
import { buildProblem, disposeProblem } from '../../engine/problem';
import { nodeLoader } from '../../testing/nodeLoader';
import { useCpu } from '../../testing/cpu';
import type { Hyper, Problem, StepMetrics } from '../../engine/types';
import { liftedDiagnostics, mdlamAlgorithm, mdlamCoupledAlgorithm, type MdlamState } from './mdlam';
import { getAlgorithm } from '../algorithms';
import { legacyInit } from '../../engine/init';

beforeAll(useCpu);

async function moons(trainSize: number, hidden: number[], activation: 'relu' | 'tanh' = 'relu'): Promise<Problem> {
  const e = defaultExperiment();
  e.dataset = { ...e.dataset, kind: 'moons', trainSize, testSize: 200, noise: 0.1 };
  e.network = { hidden, activation, outputLink: 'softmax', loss: 'ce', init: legacyInit(1) };
  return buildProblem(e, nodeLoader);
}

function run(p: Problem, hyper: Hyper, steps: number, each?: (m: StepMetrics, s: MdlamState) => void): MdlamState {
  let s = mdlamAlgorithm.init(p, hyper, 1);
  for (let i = 0; i < steps; i++) {
    const r = mdlamAlgorithm.step(s);
    s = r.state;
    each?.(r.metrics, s);
  }
  return s;
}

describe('mDLAM', () => {
  let p: Problem;
  beforeAll(async () => {
    p = await moons(120, [8, 8]);
  });
  afterAll(() => disposeProblem(p));

  it('is registered and refuses a network without ReLU hidden units', async () => {
    expect(getAlgorithm('mdlam')).toBe(mdlamAlgorithm);
    const q = await moons(20, [4], 'tanh');
    expect(() => mdlamAlgorithm.init(q, {}, 1)).toThrow(/ReLU/);
    disposeProblem(q);
  });

  it('never increases the lifted objective over 200 accelerated iterations at fixed ε', () => {
    const F: number[] = [];
    let rose = 0;
    let accepted = 0;
    const s = run(p, { eps0: 0.05, epsMin: 0.05, accelerate: true }, 200, (m, st) => {
      // the reported F is recomputed from the tensors, independently of the blocks' own bookkeeping
      if (st.iteration % 20 === 0) expect(m.extra.objective).toBeCloseTo(liftedDiagnostics(st).F, 6);
      F.push(m.extra.objective);
      if (m.extra.objectiveRose) rose++;
      if (m.extra.epsChanged) throw new Error('ε changed although ε₀ = ε_min');
      accepted += m.extra.extrapAccepted ?? 0;
    });
    for (let k = 1; k < F.length; k++) expect(F[k]).toBeLessThanOrEqual(F[k - 1] * (1 + 1e-6));
    expect(rose).toBe(0);
    expect(F[199]).toBeLessThan(0.5 * F[0]);
    // extrapolation is attempted from iteration 2 on and mostly accepted (the notes' reference: ~99%)
    expect(accepted / 199).toBeGreaterThan(0.5);
    mdlamAlgorithm.dispose(s);
  });

  it('plain (acceleration off) is monotone too, reports no extrapolation, and ends above the accelerated F', () => {
    const F: number[] = [];
    const s = run(p, { eps0: 0.05, epsMin: 0.05, accelerate: false }, 100, (m) => {
      F.push(m.extra.objective);
      expect(m.extra.extrapAccepted).toBeUndefined();
      expect(m.extra.objectiveRose).toBeUndefined();
    });
    for (let k = 1; k < F.length; k++) expect(F[k]).toBeLessThanOrEqual(F[k - 1] * (1 + 1e-6));
    const acc = run(p, { eps0: 0.05, epsMin: 0.05, accelerate: true }, 100);
    expect(acc.lastF).toBeLessThan(F[99]);
    mdlamAlgorithm.dispose(s);
    mdlamAlgorithm.dispose(acc);
  });

  it('the exact W solve keeps F monotone at fixed ε and reports no θ', () => {
    const F: number[] = [];
    const s = run(p, { eps0: 0.05, epsMin: 0.05, exactW: true }, 40, (m) => {
      F.push(m.extra.objective);
      expect(m.extra['layer1.theta']).toBeUndefined();
    });
    for (let k = 1; k < F.length; k++) expect(F[k]).toBeLessThanOrEqual(F[k - 1] * (1 + 1e-6));
    expect(F[39]).toBeLessThan(F[0]);
    mdlamAlgorithm.dispose(s);
  });

  it('shrinks ε on schedule, marks each change, and the residuals shrink while the forward network learns', () => {
    const changed: number[] = [];
    const first: Record<string, number>[] = [];
    let last: StepMetrics | undefined;
    const s = run(p, { eps0: 1, epsMin: 1 / 64, epsDecay: 0.5 }, 120, (m, st) => {
      if (m.extra.epsChanged) changed.push(st.iteration);
      if (st.iteration === 12) first.push({ ...m.extra });
      last = m;
    });
    // ε = 1, ½, …, 1/64 in iterations 1..7: changes mark iterations 2..7 and nothing after
    expect(changed).toEqual([2, 3, 4, 5, 6, 7]);
    expect(last!.extra.eps).toBeCloseTo(1 / 64, 10);
    const e = last!.extra;
    for (const l of [1, 2, 3]) expect(e[`layer${l}.linResidual`]).toBeLessThan(0.7 * first[0][`layer${l}.linResidual`]);
    for (const l of [1, 2]) {
      // the activation gap lives inside the tube
      expect(e[`layer${l}.actGap`]).toBeLessThanOrEqual(1 / 64 + 1e-6);
      expect(e[`layer${l}.tau`]).toBeGreaterThanOrEqual(1);
      expect(e[`layer${l}.theta`]).toBeGreaterThanOrEqual(1);
    }
    expect(e['layer3.tau']).toBeUndefined();
    expect(e['layer3.actGap']).toBeUndefined();
    const ev = evaluate(s.params, p.net, p.data.xTrain, p.data.yTrain, true);
    expect(ev.loss).toBeCloseTo(last!.loss, 5);
    expect(ev.accuracy).toBeGreaterThan(0.8);
    expect(last!.cost).toBe(120);
    expect(Number.isNaN(last!.gradNorm)).toBe(true);
    mdlamAlgorithm.dispose(s);
  });

  it('keeps the tensor count flat over 300 iterations (ε shrinking, acceleration on)', async () => {
    const q = await moons(32, [4, 4]);
    let s = mdlamAlgorithm.init(q, { eps0: 1, epsMin: 1e-3 }, 1);
    let at10 = 0;
    for (let i = 1; i <= 300; i++) {
      s = mdlamAlgorithm.step(s).state;
      if (i === 10) at10 = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(at10);
    const beforeDispose = tf.memory().numTensors;
    mdlamAlgorithm.dispose(s);
    // params (2 per layer), z (3), a (2), and x^{k−1} for W (3), a (2), z_L (1)
    expect(beforeDispose - tf.memory().numTensors).toBe(6 + 3 + 2 + 3 + 2 + 1);
    disposeProblem(q);
  });

  it('shows the freeze: the forward gap is 0 at the start, and relChangeW is ‖W − W_prev‖/‖W_prev‖ of the last sweep', () => {
    const s0 = mdlamAlgorithm.init(p, {}, 1);
    const d0 = liftedDiagnostics(s0);
    for (const g of d0.forwardGap) expect(g).toBeLessThan(1e-6); // z, a start from a forward pass
    mdlamAlgorithm.dispose(s0);
    const s = run(p, {}, 30);
    const direct = s.params.map((q, l) => {
      const [d, n] = [tf.norm(tf.sub(q.W, s.prevW[l]!)), tf.norm(s.prevW[l]!)].map((t) => t.dataSync()[0]);
      return d / n;
    });
    const d = liftedDiagnostics(s);
    d.relChangeW.forEach((v, l) => expect(v).toBeCloseTo(direct[l], 5));
    // after 30 halvings of ε the paper's method has left the forward network behind its lifted output
    expect(d.forwardGap[2]).toBeGreaterThan(1e-2);
    const m = mdlamAlgorithm.step(s).metrics.extra;
    for (const l of [1, 2, 3]) {
      expect(m[`layer${l}.relChangeW`]).toBeGreaterThanOrEqual(0);
      expect(m[`layer${l}.forwardGap`]).toBeGreaterThan(0);
    }
    mdlamAlgorithm.dispose(s);
  });

  it('summed losses (the authors\' script) are the mean objective × N with μ/N: same iterates, F × N', () => {
    const n = p.data.xTrain.shape[0];
    const common = { exactW: true, eps0: 0.5, epsMin: 0.5, rho: 1 };
    const sum = run(p, { ...common, lossReduction: 'sum', mu: 0.05 }, 8);
    const mean = run(p, { ...common, lossReduction: 'mean', mu: 0.05 / n }, 8);
    expect(sum.lastF / n).toBeCloseTo(mean.lastF, 4);
    sum.params.forEach((q, l) => {
      const diff = tf.max(tf.abs(tf.sub(q.W, mean.params[l].W))).dataSync()[0];
      expect(diff).toBeLessThan(1e-3);
    });
    expect(() => run(p, { lossReduction: 'median' }, 1)).toThrow(/"lossReduction" must be one of "mean", "sum"/);
    mdlamAlgorithm.dispose(sum);
    mdlamAlgorithm.dispose(mean);
  });

  it('the faithful method ignores γ; the coupled variant (playground’s own) keeps F monotone at its fixed ε', () => {
    const a = run(p, { gamma: 5 }, 3);
    const b = run(p, {}, 3);
    expect(a.lastF).toBe(b.lastF);
    mdlamAlgorithm.dispose(a);
    mdlamAlgorithm.dispose(b);
    let s = mdlamCoupledAlgorithm.init(p, { eps0: 0.3 }, 1);
    expect(s.cfg.gamma).toBeGreaterThan(0);
    expect(s.cfg.epsDecay).toBe(1);
    const F: number[] = [];
    let accepted = 0;
    for (let i = 0; i < 120; i++) {
      const r = mdlamCoupledAlgorithm.step(s);
      s = r.state;
      if (i % 30 === 29) expect(r.metrics.extra.objective).toBeCloseTo(liftedDiagnostics(s).F, 6);
      expect(r.metrics.extra.objectiveRose).toBeUndefined();
      expect(r.metrics.extra.epsChanged).toBeUndefined();
      accepted += r.metrics.extra.extrapAccepted ?? 0;
      F.push(r.metrics.extra.objective);
    }
    for (let k = 1; k < F.length; k++) expect(F[k]).toBeLessThanOrEqual(F[k - 1] * (1 + 1e-6));
    expect(accepted).toBeGreaterThan(0);
    mdlamCoupledAlgorithm.dispose(s);
  });
});

