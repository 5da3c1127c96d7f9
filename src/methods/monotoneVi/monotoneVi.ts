import * as tf from '@tensorflow/tfjs';
import { fieldAndGradient, glmField, maxLinkSlope, penultimateFeatures, type ViScope } from '../../engine/fields';
import { cloneParams, disposeParams } from '../../engine/params';
import { readAndDispose } from '../../engine/scalars';
import type { Algorithm, AlgorithmState, Hyper, Params, Problem, StepResult } from '../../engine/types';
import { applyUpdate, disposeFirstOrder, initFirstOrder, restartChain, type FirstOrderState } from '../../engine/firstOrder';
import { adam, chain, constantSchedule, heavyBall, inverseTimeSchedule } from '../../engine/updateChain';
import { ADAM_MOMENT_DEFAULTS, hyperReader } from '../../engine/hyper';
import type { ExtraOf } from '../../engine/diagnostics';
import { VI_DIAGNOSTICS } from './monotoneVi.diagnostics';
import { VI_SPEC, type ViRule } from './monotoneVi.hyper';

/**
 * Monotone VI training (algorithms.md §1). The field (fields.ts) replaces the gradient as the direction; the
 * update rules are the shared ones of optimizers.ts (plain step = SGD with μ = 0, momentum, Adam), plus a
 * decreasing step and Polyak–Ruppert averaging (§1 "Update rule"). One forward/backward pass gives both the
 * field and the gradient, so every step also reports how the two differ (per-layer norms and cosine) and the
 * monotonicity check m_k of the direction it follows (§1 "What to plot live").
 */

export interface ViState extends AlgorithmState {
  /** The iterate θ_k and the update chain (the rule and its step-size schedule) with its state. */
  fo: FirstOrderState;
  /** Polyak–Ruppert average θ̄_k = mean(θ_1..θ_k) (rule 'averaged'); then `params` is this average. */
  avg: Params | null;
  scope: ViScope;
  /** Index of the first trained layer. */
  trainFrom: number;
  useFieldDirection: boolean;
  hiddenDivBatch: boolean;
  warmStart: number;
  monoEvery: number;
  /** Trained layers of θ_{k−1}, and (full batch only) the direction there, for m_k. */
  prevTheta: Params | null;
  prevDir: Params | null;
  thetaStar: tf.Tensor1D | null;
  /** Empirical zero θ̂ of the full-training-set field (GLM only), for the gap ⟨F(θ), θ − θ̂⟩. */
  thetaHat: tf.Tensor1D | null;
  cost: number;
}

const RULES: ViRule[] = ['constant', 'decreasing', 'averaged', 'momentum', 'adam'];

/** Monotone VI's options (monotoneVi.hyper.ts), parsed once at init. */
export interface ViOptions {
  scope: ViScope;
  direction: 'field' | 'gradient';
  rule: ViRule;
  /** 0: derived from the data (resolveStep). */
  lr: number;
  k0: number;
  momentum: number;
  hiddenDivBatch: boolean;
  warmStart: number;
  monoEvery: number;
}

export function parseVi(hyper: Hyper): ViOptions {
  const h = hyperReader(VI_SPEC, hyper);
  return {
    scope: h.choice<ViScope>('scope'),
    direction: h.choice<'field' | 'gradient'>('direction'),
    rule: h.choice<ViRule>('rule'),
    lr: h.number('lr'),
    k0: Math.max(1, h.number('k0')),
    momentum: h.number('momentum'),
    hiddenDivBatch: h.flag('hiddenDivBatch'),
    warmStart: Math.max(0, Math.floor(h.number('warmStart'))),
    monoEvery: Math.max(0, Math.floor(h.number('monoEvery'))),
  };
}

/** Largest eigenvalue of a symmetric positive semi-definite matrix (row-major n×n) by power iteration in float64. */
export function lambdaMax(g: Float64Array | Float32Array, n: number, iters = 500): number {
  let v = new Float64Array(n).fill(1 / Math.sqrt(n));
  let lambda = 0;
  for (let it = 0; it < iters; it++) {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += g[i * n + j] * v[j];
      w[i] = s;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += w[i] * w[i];
    norm = Math.sqrt(norm);
    if (norm === 0) return 0;
    const next = norm; // ‖G v‖ with ‖v‖ = 1
    for (let i = 0; i < n; i++) w[i] /= norm;
    v = w;
    if (Math.abs(next - lambda) <= 1e-10 * next) return next;
    lambda = next;
  }
  return lambda;
}

/**
 * L̂_F = λ_max([H,1]ᵀ[H,1]/N) · max φ′ (§1 "Defaults": the Lipschitz bound of the field on standardised data),
 * H the input of the output layer at the initial (frozen) weights.
 */
export function fieldLipschitz(problem: Problem): number {
  const { net, data, initialParams } = problem;
  const gram = tf.tidy(() => {
    const h = penultimateFeatures(initialParams, net, data.xTrain);
    const ha = tf.concat([h, tf.ones([h.shape[0], 1])], 1);
    return tf.div(tf.matMul(ha, ha, true, false), h.shape[0]);
  });
  const n = gram.shape[0];
  const g = gram.dataSync() as Float32Array;
  gram.dispose();
  return lambdaMax(g, n) * maxLinkSlope(net.outputLink);
}

/**
 * The empirical zero θ̂ of the GLM field on the training set: the minimiser of the convex potential
 * (1/N) Σ [Φ(θᵀx̃_i) − y_i θᵀx̃_i] (Φ′ = φ, §1 "Idea"), by damped Newton in float64. Returns null when the
 * potential has no finite minimiser within reach (e.g. separable 0/1 labels) — then no gap is reported.
 */
export function glmEmpiricalZero(x: ArrayLike<number>, y: ArrayLike<number>, n: number, d: number, link: 'sigmoid' | 'identity'): Float64Array | null {
  const p = d + 1;
  const theta = new Float64Array(p);
  const phi = (z: number) => (link === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : z);
  const dphi = (z: number) => (link === 'sigmoid' ? phi(z) * (1 - phi(z)) : 1);
  const Phi = (z: number) => (link === 'sigmoid' ? (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) : 0.5 * z * z);
  const zOf = (t: Float64Array, i: number) => {
    let s = t[d];
    for (let j = 0; j < d; j++) s += x[i * d + j] * t[j];
    return s;
  };
  const potential = (t: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = zOf(t, i);
      s += Phi(z) - y[i] * z;
    }
    return s / n;
  };
  for (let it = 0; it < 100; it++) {
    const grad = new Float64Array(p);
    const hess = new Float64Array(p * p);
    for (let i = 0; i < n; i++) {
      const z = zOf(theta, i);
      const r = phi(z) - y[i];
      const w = dphi(z);
      for (let a = 0; a < p; a++) {
        const xa = a < d ? x[i * d + a] : 1;
        grad[a] += r * xa;
        for (let b = 0; b <= a; b++) hess[a * p + b] += w * xa * (b < d ? x[i * d + b] : 1);
      }
    }
    let gnorm = 0;
    for (let a = 0; a < p; a++) {
      grad[a] /= n;
      gnorm += grad[a] * grad[a];
      for (let b = 0; b <= a; b++) hess[b * p + a] = hess[a * p + b] = hess[a * p + b] / n;
    }
    if (Math.sqrt(gnorm) < 1e-12) return theta;
    const step = choleskySolve(hess, grad, p);
    if (!step) return null;
    const f0 = potential(theta);
    let t = 1;
    let dec = 0;
    for (let a = 0; a < p; a++) dec += grad[a] * step[a];
    const trial = new Float64Array(p);
    for (;;) {
      for (let a = 0; a < p; a++) trial[a] = theta[a] - t * step[a];
      if (potential(trial) <= f0 - 0.25 * t * dec || t < 1e-10) break;
      t /= 2;
    }
    theta.set(trial);
  }
  return null;
}

function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (s <= 0) return null;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * z[k];
    z[i] = s / l[i * n + i];
  }
  const out = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * out[k];
    out[i] = s / l[i * n + i];
  }
  return out;
}

/** True for the planted-GLM setting: one layer with a single output on d inputs. */
function isScalarGlm(problem: Problem): boolean {
  const s = problem.net.sizes;
  return s.length === 2 && s[1] === 1;
}

function flatTheta(p: Params): tf.Tensor1D {
  return tf.concat([tf.reshape(p[0].W, [-1]), p[0].b]) as tf.Tensor1D;
}

/** Resolve the step: the hyper value, or "auto" (§1 "Defaults"; the full-network and Adam fallbacks are chosen). */
export function resolveStep(problem: Problem, o: Pick<ViOptions, 'lr' | 'rule' | 'scope' | 'momentum'>): number {
  if (o.lr > 0) return o.lr;
  if (o.rule === 'adam') return 0.01;
  // Chosen: 0.15 is the authors' two-moons step (§1 Defaults*); no data-derived bound exists for hidden layers.
  if (o.scope === 'full') return 0.15;
  const gamma = 2 / fieldLipschitz(problem);
  // Chosen: with heavy-ball momentum the effective step is γ/(1−μ); keep that at 2/L̂_F.
  return o.rule === 'momentum' ? gamma * (1 - o.momentum) : gamma;
}

export function initVi(problem: Problem, hyper: Hyper, seed: number): ViState {
  const o = parseVi(hyper);
  const { scope, rule } = o;
  if (!RULES.includes(rule)) throw new Error(`unknown VI update rule "${rule}"`);
  const L = problem.net.sizes.length - 1;
  if (scope === 'single' && L !== 1)
    throw new Error('VI scope "single layer" needs a network without hidden layers; use "last layer" or "full network"');
  const trainFrom = scope === 'full' ? problem.frozenBelow : L - 1;
  const gamma0 = resolveStep(problem, o);
  // Constant, decreasing and averaged steps are the heavy-ball rule with μ = 0; 'decreasing' is its schedule.
  const schedule = rule === 'decreasing' ? inverseTimeSchedule(gamma0, o.k0) : constantSchedule(gamma0);
  const update = rule === 'adam' ? chain(adam(ADAM_MOMENT_DEFAULTS), schedule) : chain(heavyBall(rule === 'momentum' ? o.momentum : 0), schedule);
  const fo = initFirstOrder(problem, update, seed);
  let thetaStar: tf.Tensor1D | null = null;
  let thetaHat: tf.Tensor1D | null = null;
  const d = problem.net.sizes[0];
  if (isScalarGlm(problem)) {
    const planted = problem.data.plantedTheta;
    if (planted && planted.length === d + 1) thetaStar = tf.tensor1d(planted);
    const link = problem.net.outputLink;
    if (link === 'sigmoid' || link === 'identity') {
      const n = problem.data.xTrain.shape[0];
      const zero = glmEmpiricalZero(problem.data.xTrain.dataSync(), problem.data.yTrain.dataSync(), n, d, link);
      if (zero) thetaHat = tf.tensor1d(Float32Array.from(zero));
    }
  }
  const s: ViState = {
    params: fo.params,
    iteration: 0,
    fo,
    avg: rule === 'averaged' ? cloneParams(fo.params) : null,
    scope,
    trainFrom,
    useFieldDirection: o.direction !== 'gradient',
    hiddenDivBatch: o.hiddenDivBatch,
    warmStart: o.warmStart,
    monoEvery: o.monoEvery,
    prevTheta: null,
    prevDir: null,
    thetaStar,
    thetaHat,
    cost: 0,
  };
  if (s.avg) s.params = s.avg;
  return s;
}

function disposePrev(s: ViState): void {
  if (s.prevTheta) disposeParams(s.prevTheta);
  if (s.prevDir) disposeParams(s.prevDir);
  s.prevTheta = null;
  s.prevDir = null;
}

export function stepVi(s: ViState): StepResult<ViState> {
  const { problem } = s.fo;
  const L = problem.net.sizes.length - 1;
  const extra: ExtraOf<typeof VI_DIAGNOSTICS> = {};
  // Warm start (§1 "Update rule"): field for the first `warmStart` iterations, then the gradient, fresh rule state.
  let followField = s.useFieldDirection && (s.warmStart === 0 || s.iteration < s.warmStart);
  if (s.warmStart > 0) {
    if (s.useFieldDirection && s.iteration === s.warmStart) {
      restartChain(s.fo);
      disposePrev(s);
      if (s.avg) {
        disposeParams(s.avg);
        s.avg = cloneParams(s.fo.params);
      }
      extra.warmSwitch = 1;
      followField = false;
    }
    extra.phase = followField ? 0 : 1;
  }
  const k = s.iteration;
  // The chain's schedule (constant, or γ0/(1 + k/k0)); the step reported is the step taken.
  const gamma = s.fo.chain.lr(k);
  extra.stepUsed = gamma;

  const batch = s.fo.batcher.next();
  const fopts = { trainFrom: s.trainFrom, scope: s.scope, hiddenDivBatch: s.hiddenDivBatch };
  const fg = fieldAndGradient(s.fo.params, problem.net, batch.x, batch.y, fopts);
  const dir = followField ? fg.field : fg.grads;
  const trained: number[] = [];
  for (let l = s.trainFrom; l < L; l++) trained.push(l);

  // Per-layer ‖F_l‖², ‖∇_l‖², ⟨F_l, ∇_l⟩ (§1 "What to plot live").
  const layerScalars = tf.tidy(() =>
    trained.flatMap((l) => {
      const f = [fg.field[l].W, fg.field[l].b];
      const g = [fg.grads[l].W, fg.grads[l].b];
      const ss = (a: tf.Tensor[], b: tf.Tensor[]) => tf.addN(a.map((t, i) => tf.sum(tf.mul(t, b[i])))) as tf.Scalar;
      return [ss(f, f), ss(g, g), ss(f, g)];
    }),
  );

  // Monotonicity of the followed direction on this batch: m_k = ⟨D(θ_k) − D(θ_{k−1}), θ_k − θ_{k−1}⟩.
  const monoScalars: tf.Scalar[] = [];
  const checkMono = s.monoEvery > 0 && s.prevTheta !== null && k % s.monoEvery === 0;
  if (checkMono) {
    let prevDir = s.prevDir;
    let owned = false;
    if (!prevDir) {
      const prevParams: Params = s.fo.params.map((p, l) => (l < s.trainFrom ? p : s.prevTheta![l - s.trainFrom]));
      const fp = fieldAndGradient(prevParams, problem.net, batch.x, batch.y, fopts);
      fp.loss.dispose();
      prevDir = (followField ? fp.field : fp.grads).slice(s.trainFrom);
      disposeParams(followField ? fp.grads : fp.field);
      disposeParams((followField ? fp.field : fp.grads).slice(0, s.trainFrom));
      owned = true;
    }
    const pd = prevDir;
    monoScalars.push(
      ...tf.tidy(() => {
        const terms: tf.Scalar[] = [];
        const sq: tf.Scalar[] = [];
        trained.forEach((l, i) => {
          for (const key of ['W', 'b'] as const) {
            const dTheta = tf.sub(s.fo.params[l][key], s.prevTheta![i][key]);
            terms.push(tf.sum(tf.mul(tf.sub(dir[l][key], pd[i][key]), dTheta)));
            sq.push(tf.sum(tf.square(dTheta)));
          }
        });
        return [tf.addN(terms) as tf.Scalar, tf.addN(sq) as tf.Scalar];
      }),
    );
    if (owned) disposeParams(pd);
  }

  // Keep θ_k (trained layers) and, on full batch, D(θ_k) for the next step's check.
  disposePrev(s);
  if (s.monoEvery > 0) {
    s.prevTheta = cloneParams(trained.map((l) => s.fo.params[l]));
    if (s.fo.batcher.full) s.prevDir = cloneParams(trained.map((l) => dir[l]));
  }

  applyUpdate(s.fo, dir, gamma);
  disposeParams(fg.field);
  disposeParams(fg.grads);
  if (batch.owned) tf.dispose([batch.x, batch.y]);

  if (s.avg) {
    const count = s.warmStart > 0 && k >= s.warmStart ? k - s.warmStart + 1 : k + 1;
    const next = tf.tidy(() => s.avg!.map((a, l) => ({ W: tf.add(a.W, tf.div(tf.sub(s.fo.params[l].W, a.W), count)), b: tf.add(a.b, tf.div(tf.sub(s.fo.params[l].b, a.b), count)) })));
    disposeParams(s.avg);
    s.avg = next as Params;
    s.params = s.avg;
  } else s.params = s.fo.params;

  // Distances to θ* and θ̂ and the gap ⟨F(θ), θ − θ̂⟩ on the whole training set, at the reported parameters.
  const planted: tf.Scalar[] = [];
  if (s.thetaStar || s.thetaHat) {
    planted.push(
      ...tf.tidy(() => {
        const theta = flatTheta(s.params);
        const out: tf.Scalar[] = [];
        if (s.thetaStar) out.push(tf.div(tf.norm(tf.sub(theta, s.thetaStar)), tf.norm(s.thetaStar)) as tf.Scalar);
        if (s.thetaHat) {
          const f = glmField(s.params[0], problem.data.xTrain, problem.data.yTrain, problem.net.outputLink);
          const fl = tf.concat([tf.reshape(f.W, [-1]), f.b]);
          out.push(tf.div(tf.norm(tf.sub(theta, s.thetaHat)), tf.norm(s.thetaHat)) as tf.Scalar);
          out.push(tf.sum(tf.mul(fl, tf.sub(theta, s.thetaHat))) as tf.Scalar);
        }
        return out;
      }),
    );
  }

  const values = readAndDispose([fg.loss, ...layerScalars, ...monoScalars, ...planted]);
  let o = 1;
  let fSq = 0, gSq = 0, fg2 = 0;
  for (const l of trained) {
    const [ff, gg, fgv] = values.slice(o, o + 3);
    o += 3;
    fSq += ff;
    gSq += gg;
    fg2 += fgv;
    extra[VI_DIAGNOSTICS.layer.fieldNorm.key(l + 1)] = Math.sqrt(ff);
    extra[VI_DIAGNOSTICS.layer.gradNorm.key(l + 1)] = Math.sqrt(gg);
    extra[VI_DIAGNOSTICS.layer.cosine.key(l + 1)] = fgv / Math.sqrt(ff * gg);
  }
  extra.fieldNorm = Math.sqrt(fSq);
  extra.gradNorm = Math.sqrt(gSq);
  extra.cosine = fg2 / Math.sqrt(fSq * gSq);
  if (checkMono) {
    const [m, dsq] = values.slice(o, o + 2);
    o += 2;
    extra.mono = m;
    extra.monoRatio = dsq > 0 ? m / dsq : NaN;
  }
  if (s.thetaStar) extra.thetaErr = values[o++];
  if (s.thetaHat) {
    extra.thetaHatErr = values[o++];
    extra.gap = values[o++];
  }
  s.iteration++;
  s.fo.iteration++;
  s.cost += s.fo.batcher.fraction;
  return { state: s, metrics: { loss: values[0], gradNorm: Math.sqrt(gSq), cost: s.cost, extra } };
}

export function disposeVi(s: ViState): void {
  disposeFirstOrder(s.fo);
  if (s.avg) disposeParams(s.avg);
  disposePrev(s);
  if (s.thetaStar) s.thetaStar.dispose();
  if (s.thetaHat) s.thetaHat.dispose();
}

export const viAlgorithm: Algorithm<ViState, ViOptions> = { id: 'vi', parse: parseVi, init: initVi, step: stepVi, dispose: disposeVi };
