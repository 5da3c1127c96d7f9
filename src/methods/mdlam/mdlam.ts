import * as tf from '@tensorflow/tfjs';
import { choleskyFactor, gramPlusRidge, type CholeskyFactor } from '../../engine/linalg';
import {
  aObjective,
  aProjectedStep,
  bClosedForm,
  DEFAULT_BACKTRACKING,
  penaltyTerm,
  ridgeLambda,
  tubeViolation,
  wExact,
  wGradientStep,
  wObjective,
  zHiddenCoupled,
  zHiddenProject,
  couplingTerm,
  zOutputFista,
  zOutputObjective,
  type LiftedScales,
} from './blocks';
import { mdlamLiftedView } from './liftedView';
import { softmaxCrossEntropy } from '../../engine/model';
import { cloneParams, disposeParams } from '../../engine/params';
import { readAndDispose } from '../../engine/scalars';
import type { Algorithm, AlgorithmState, Hyper, Problem, StepResult } from '../../engine/types';
import type { ExtraOf } from '../../engine/diagnostics';
import { MDLAM_DIAGNOSTICS as D } from './mdlam.diagnostics';
import { MDLAM_COUPLED_SPEC, MDLAM_DEFAULTS, MDLAM_SPEC } from './mdlam.hyper';
import { hyperReader, type AlgorithmSpec } from '../../engine/hyper';

/**
 * mDLAM (algorithms.md §3): gradient-free training by monotone alternating minimisation of the lifted objective
 *   F = R(z_L; Y) + (ρ/2N) Σ_l ‖z_l − a_{l−1}W_l − b_l‖² + (μ/2) Σ_l ‖W_l‖²,  |a_l − ReLU(z_l)| ≤ ε (hidden l),
 * over W, b, z, a for the whole training set (full batch; §3 "Defaults": full batch up to a few thousand samples —
 * the experiment's batch size is ignored). One step = one outer iteration = a Gauss–Seidel forward sweep
 * l = 1..L: W_l → b_l → (z_l → a_l if l < L, else z_L), each block by the pure functions in blocks.ts,
 * with Nesterov extrapolation and the monotone safeguard (§3 "Acceleration with a monotone safeguard"). No
 * back-propagation: the learned W, b are used only through the ordinary forward pass for loss and prediction.
 */

export interface MdlamState extends AlgorithmState {
  problem: Problem;
  cfg: MdlamConfig;
  /** z_1..z_L (index l−1). */
  z: tf.Tensor2D[];
  /** a_1..a_{L−1} (index l−1); a_0 is the training input. */
  a: tf.Tensor2D[];
  /** x^{k−1} for the extrapolated blocks (W_l, a_l, z_L); null before the first iteration. */
  prevW: (tf.Tensor2D | null)[];
  prevA: (tf.Tensor2D | null)[];
  prevZL: tf.Tensor2D | null;
  /** Nesterov t_{k−1}. */
  t: number;
  eps: number;
  lastF: number;
  /** ε of the previous sweep (for the epsChanged event). */
  epsUsedBefore: number;
  rhoUsedBefore: number;
  /**
   * a_{l−1} W_l per layer (index l−1) during a sweep, kept while a_{l−1} and W_l do not change, null when not
   * known: the products with the full training set dominate a sweep, and every block of a layer needs the same one
   * (blocks.ts). A kept product is at most one derived update (a W⁺ = a Ŵ − a∇φ/θ) away from a computed one; all
   * are dropped at the end of the sweep, so float32 rounding cannot accumulate across sweeps.
   */
  aw: (tf.Tensor2D | null)[];
  /** Cholesky factor of a_0ᵀa_0 + λI for the exact input-layer W solve (a_0 = X never changes). */
  inputFactor?: CholeskyFactor;
  cost: number;
}

export interface MdlamConfig extends LiftedScales {
  /**
   * Weight γ of the playground's coupling term (γ/2N) Σ_l ‖a_l − ReLU(z_l)‖² added to F (0 = the paper's method).
   * With it the z_l block is pulled towards the a_l the next layer asked for (blocks.ts zHiddenCoupled).
   */
  gamma: number;
  /**
   * 'mean' (the notes' per-sample means, §3) or 'sum' (the authors' script: summed cross-entropy and penalty).
   * Summed losses are the mean objective times N with μ replaced by μ/N; the W step's backtracking runs in summed
   * units (so θ starting at 1 means what it means in the script). `mu` below is already in mean units.
   */
  lossReduction: 'mean' | 'sum';
  /** N for 'sum', 1 for 'mean': F as reported = lossScale × the mean-unit objective. */
  lossScale: number;
  eps0: number;
  epsMin: number;
  /** ε ← max(ε·decay, ε_min) after every outer iteration (§3: decay ½). 1 keeps ε fixed. */
  epsDecay: number;
  accelerate: boolean;
  exactW: boolean;
  innerIters: number;
  /** Repetitions of the hidden (z_l → a_l) pair per layer and sweep; 1 is the notes' sweep (§3 leaves more open). */
  innerSweeps: number;
  /** ρ ← min(ρ·growth, ρ_max) after every sweep; 1 keeps ρ fixed (an increasing-ρ schedule, §3 "Claims"). */
  rhoGrowth: number;
  rhoMax: number;
}

/**
 * The run's configuration from its hyperparameters, read through `spec` (the paper's method or the variant: each
 * declares its own defaults); `n` (training samples) converts summed-loss settings into the mean units every block
 * works in. γ exists only where the spec declares it (the variant); ρ_max is not a setting.
 */
export function mdlamConfig(spec: AlgorithmSpec, hyper: Hyper, n: number): MdlamConfig {
  const h = hyperReader(spec, hyper);
  const eps0 = h.number('eps0');
  const reduction = h.choice<'mean' | 'sum'>('lossReduction');
  const lossScale = reduction === 'sum' ? n : 1;
  return {
    rho: h.number('rho'),
    mu: h.number('mu') / lossScale,
    gamma: spec.hyper.some((p) => p.key === 'gamma') ? Math.max(0, h.number('gamma')) : 0,
    lossReduction: reduction,
    lossScale,
    eps0,
    epsMin: Math.min(h.number('epsMin'), eps0),
    epsDecay: Math.min(Math.max(h.number('epsDecay'), 0), 1),
    accelerate: h.flag('accelerate'),
    exactW: h.flag('exactW'),
    innerIters: Math.max(1, h.int('innerIters')),
    innerSweeps: Math.max(1, h.int('innerSweeps')),
    rhoGrowth: Math.max(1, h.number('rhoGrowth')),
    rhoMax: MDLAM_DEFAULTS.rhoMax,
  };
}

export function initMdlam(problem: Problem, hyper: Hyper, spec: AlgorithmSpec = MDLAM_SPEC): MdlamState {
  const { net } = problem;
  if (net.activation !== 'relu' || net.outputLink !== 'softmax' || net.loss !== 'ce') {
    throw new Error('mDLAM needs ReLU hidden units and a softmax cross-entropy output (algorithms.md §3)');
  }
  // Every block of the lifted problem is updated; silently training a "frozen" bottom would mislabel the run.
  if (problem.frozenBelow > 0) throw new Error('mDLAM trains every layer (frozen layers for fine-tuning are not supported)');
  const cfg = mdlamConfig(spec, hyper, problem.data.xTrain.shape[0]);
  const params = cloneParams(problem.initialParams);
  const L = params.length;
  // z, a from a forward pass (§3 "Defaults"); the initial weights are the shared ones of the comparison
  // rather than the code's N(0, 0.1²), so that every run of a preset starts from the same network.
  const z: tf.Tensor2D[] = [];
  const a: tf.Tensor2D[] = [];
  let h = problem.data.xTrain;
  for (let l = 0; l < L; l++) {
    const zl = tf.tidy(() => tf.fused.matMul({ a: h, b: params[l].W, bias: params[l].b }) as tf.Tensor2D);
    z.push(zl);
    if (l < L - 1) {
      h = tf.relu(zl);
      a.push(h);
    }
  }
  return {
    params,
    iteration: 0,
    problem,
    cfg,
    z,
    a,
    prevW: new Array(L).fill(null),
    prevA: new Array(L - 1).fill(null),
    prevZL: null,
    aw: new Array(L).fill(null),
    t: 1,
    eps: cfg.eps0,
    lastF: NaN,
    epsUsedBefore: NaN,
    rhoUsedBefore: NaN,
    inputFactor: inputLayerFactor(problem, cfg),
    cost: 0,
  };
}

/** a_0 = X never changes, so the exact input-layer W solve can reuse one factor of XᵀX + λI (per ρ). */
function inputLayerFactor(problem: Problem, cfg: MdlamConfig): CholeskyFactor | undefined {
  if (!cfg.exactW || problem.net.sizes[0] > 1024) return undefined;
  const g = gramPlusRidge(problem.data.xTrain, ridgeLambda(problem.data.xTrain.shape[0], cfg));
  const f = choleskyFactor(g);
  g.dispose();
  return f;
}

export function disposeMdlam(s: MdlamState): void {
  disposeParams(s.params);
  tf.dispose([...s.z, ...s.a]);
  for (const t of [...s.prevW, ...s.prevA, s.prevZL, ...s.aw]) t?.dispose();
}

/** a_{l−1} W_l for the current a and W (computed now if not kept). */
function productOf(s: MdlamState, l: number): tf.Tensor2D {
  const aPrev = l === 0 ? s.problem.data.xTrain : s.a[l - 1];
  s.aw[l] ??= tf.matMul(aPrev, s.params[l].W) as tf.Tensor2D;
  return s.aw[l]!;
}

function setProduct(s: MdlamState, l: number, aw: tf.Tensor2D | null): void {
  if (s.aw[l] !== aw) s.aw[l]?.dispose();
  s.aw[l] = aw;
}

function extrapolate(x: tf.Tensor2D, prev: tf.Tensor2D, omega: number): tf.Tensor2D {
  return tf.tidy(() => tf.add(x, tf.mul(omega, tf.sub(x, prev))) as tf.Tensor2D);
}

/** Tally of the extrapolation attempts of one sweep. */
interface Tally {
  tried: number;
  accepted: number;
}

/**
 * The lifted objective F and the live residuals (§3 "What to plot live"), in one read, plus what shows the freeze
 * (issue 14): per layer, the relative change of W over the last sweep ‖W_l − W_l^{prev}‖/‖W_l^{prev}‖ and the gap
 * between the lifted pre-activation z_l and the forward network's a_{l−1}W_l + b_l computed from X
 * (RMS per entry; for l = L it is the gap between the lifted output and the network's output).
 * F is in the run's loss units (× N for summed losses).
 */
export function liftedDiagnostics(s: MdlamState): { F: number; lin: number[]; gap: number[]; trainLoss: number; relChangeW: number[]; forwardGap: number[] } {
  const { problem, params, cfg } = s;
  const L = params.length;
  const n = problem.data.xTrain.shape[0];
  const vals = readAndDispose(
    tf.tidy(() => {
      const lin: tf.Scalar[] = [];
      const gap: tf.Scalar[] = [];
      const dW: tf.Scalar[] = [];
      const fwd: tf.Scalar[] = [];
      let F = softmaxCrossEntropy(s.z[L - 1], problem.data.yTrain);
      let h: tf.Tensor2D = problem.data.xTrain;
      for (let l = 0; l < L; l++) {
        const zFwd = tf.fused.matMul({ a: h, b: params[l].W, bias: params[l].b }) as tf.Tensor2D;
        // The diagnostics compute their products afresh (never the sweep's kept ones, which may differ in the last
        // float32 bits): a residual that is exactly 0 reads 0. At the input layer the forward pass's product is that
        // same product (h = X), so the penalty there costs no second 12,000 × 784 product.
        const pen =
          l === 0
            ? (tf.mul(cfg.rho / (2 * n), tf.sum(tf.square(tf.sub(s.z[0], zFwd)))) as tf.Scalar)
            : penaltyTerm(s.z[l], s.a[l - 1], params[l].W, params[l].b, cfg.rho);
        F = tf.add(F, tf.add(pen, tf.mul(cfg.mu / 2, tf.sum(tf.square(params[l].W)))));
        lin.push(tf.div(pen, cfg.rho / (2 * n)) as tf.Scalar); // ‖z − aW − b‖²
        const prev = s.prevW[l];
        dW.push(prev ? (tf.div(tf.norm(tf.sub(params[l].W, prev)), tf.maximum(tf.norm(prev), 1e-30)) as tf.Scalar) : tf.scalar(NaN));
        fwd.push(tf.sum(tf.square(tf.sub(s.z[l], zFwd))));
        if (l < L - 1) {
          h = tf.relu(zFwd);
          const r = tf.relu(s.z[l]) as tf.Tensor2D;
          gap.push(tf.sum(tf.square(tf.sub(s.a[l], r))));
          if (cfg.gamma > 0) F = tf.add(F, couplingTerm(s.a[l], r, cfg.gamma));
        } else fwd.push(softmaxCrossEntropy(zFwd, problem.data.yTrain)); // the forward network's training loss
      }
      return [tf.mul(F, cfg.lossScale) as tf.Scalar, ...lin, ...gap, ...dW, ...fwd];
    }),
  );
  const sizes = problem.net.sizes;
  const rms = (v: number, l: number) => Math.sqrt(v / (sizes[l + 1] * n));
  let k = 1;
  const take = (m: number) => vals.slice(k, (k += m));
  const lin = take(L).map(rms);
  const gap = take(L - 1).map(rms);
  const relChangeW = take(L);
  const fwdAll = take(L + 1);
  return { F: vals[0], trainLoss: fwdAll[L], lin, gap, relChangeW, forwardGap: fwdAll.slice(0, L).map(rms) };
}

/** W_l block: gradient step (extrapolated, with the monotone safeguard) or the exact ridge solve. */
function updateW(s: MdlamState, l: number, omega: number, tally: Tally): number {
  const { cfg, params } = s;
  const aPrev = l === 0 ? s.problem.data.xTrain : s.a[l - 1];
  const z = s.z[l];
  const { W: wk, b } = params[l];
  const awK = productOf(s, l);
  const phiK = wObjective(wk, aPrev, z, b, cfg, awK);
  // The gradient step backtracks on φ in the run's loss units (summed losses: φ × N), so θ = 1 means what it means
  // in the authors' script; the minimiser and the accept tests below are the same in either unit.
  const stepUnits = { rho: cfg.rho * cfg.lossScale, mu: cfg.mu * cfg.lossScale };
  let next: tf.Tensor2D;
  let nextAw: tf.Tensor2D | null;
  let theta = NaN;
  if (cfg.exactW) {
    next = wExact(aPrev, z, b, cfg, l === 0 ? s.inputFactor : undefined);
    nextAw = null;
    // exact in exact arithmetic; the float32 solve must still not raise φ (§3: "Exact block minimisation keeps F monotone")
    if (!(wObjective(next, aPrev, z, b, cfg) <= phiK)) {
      next.dispose();
      next = wk.clone();
      nextAw = awK;
    }
  } else {
    let accepted: { w: tf.Tensor2D; aw: tf.Tensor2D } | null = null;
    const prev = s.prevW[l];
    if (cfg.accelerate && omega > 0 && prev) {
      tally.tried++;
      const hat = extrapolate(wk, prev, omega);
      const cand = wGradientStep(hat, aPrev, z, b, stepUnits, DEFAULT_BACKTRACKING);
      hat.dispose();
      if (cand.ok && wObjective(cand.w, aPrev, z, b, cfg, cand.aw) <= phiK) {
        accepted = cand;
        theta = cand.theta;
        tally.accepted++;
      } else tf.dispose([cand.w, cand.aw]);
    }
    if (!accepted) {
      const plain = wGradientStep(wk, aPrev, z, b, stepUnits, DEFAULT_BACKTRACKING, awK);
      theta = plain.theta;
      if (plain.ok && wObjective(plain.w, aPrev, z, b, cfg, plain.aw) <= phiK) accepted = plain;
      else {
        tf.dispose([plain.w, plain.aw]);
        accepted = { w: wk.clone(), aw: awK };
      }
    }
    next = accepted.w;
    nextAw = accepted.aw;
  }
  s.prevW[l]?.dispose();
  s.prevW[l] = wk;
  params[l].W = next;
  setProduct(s, l, nextAw);
  return theta;
}

/** b_l block: closed form; kept only if float32 rounding did not make the penalty worse. */
function updateB(s: MdlamState, l: number): void {
  const { cfg, params } = s;
  const aPrev = l === 0 ? s.problem.data.xTrain : s.a[l - 1];
  const aw = productOf(s, l);
  const bNew = bClosedForm(aPrev, params[l].W, s.z[l], aw);
  const [pOld, pNew] = readAndDispose([penaltyTerm(s.z[l], aPrev, params[l].W, params[l].b, cfg.rho, aw), penaltyTerm(s.z[l], aPrev, params[l].W, bNew, cfg.rho, aw)]);
  if (pNew <= pOld) {
    params[l].b.dispose();
    params[l].b = bNew;
  } else bNew.dispose();
}

/**
 * P = a_{l−1} W_l + b_l for the z blocks, computed afresh (fused, as the next sweep's tests and the diagnostics
 * compute it) so that z − P is exactly 0 where z is not clipped: a kept product differs in the last float32 bits,
 * and that noise alone made the a-block's descent test fail through all its doublings (and showed the input layer's
 * z as off the forward network by 1e-7). The same for the coupled variant, whose z_l is a function of P and a_l.
 */
function zTarget(s: MdlamState, l: number): tf.Tensor2D {
  const { W, b } = s.params[l];
  return tf.fused.matMul({ a: l === 0 ? s.problem.data.xTrain : s.a[l - 1], b: W, bias: b }) as tf.Tensor2D;
}

/**
 * z_l hidden block: the closed-form projection, or with the variant's coupling γ > 0 the closed-form minimiser of
 * pen_l + coupling over the tube (always taken: it is the exact block minimiser; the old z may be infeasible after ε shrank).
 */
function updateZHidden(s: MdlamState, l: number): void {
  const { rho, gamma } = s.cfg;
  const p = zTarget(s, l);
  const znew = gamma > 0 ? zHiddenCoupled(p, s.a[l], s.eps, rho, gamma) : zHiddenProject(p, s.a[l], s.eps);
  p.dispose();
  s.z[l].dispose();
  s.z[l] = znew;
}

/** a_l hidden block: projected gradient step, extrapolated with the safeguard; never reverts to an infeasible point. */
function updateA(s: MdlamState, l: number, omega: number, tally: Tally, rememberPrev = true): number {
  const { cfg, params } = s;
  const ak = s.a[l];
  const zCur = s.z[l];
  const zNext = s.z[l + 1];
  const { W: wNext, b: bNext } = params[l + 1];
  const { gamma } = cfg;
  const reluZ = gamma > 0 ? tf.relu(zCur) : undefined;
  const psi = (a: tf.Tensor2D) => aObjective(a, zNext, wNext, bNext, cfg.rho, gamma, reluZ);
  const psiK = psi(ak);
  // a^k may lie outside the tube after ε shrank (§3): then the plain projected step is always taken.
  const feasible = tubeViolation(ak, zCur, s.eps) <= 1e-6 * Math.max(1, s.eps);
  let next: tf.Tensor2D | null = null;
  let tau = NaN;
  const prev = s.prevA[l];
  if (cfg.accelerate && omega > 0 && prev && feasible) {
    tally.tried++;
    const hat = extrapolate(ak, prev, omega);
    const cand = aProjectedStep(hat, zCur, zNext, wNext, bNext, cfg.rho, s.eps, DEFAULT_BACKTRACKING, gamma);
    hat.dispose();
    if (cand.ok && psi(cand.a) <= psiK) {
      next = cand.a;
      tau = cand.tau;
      tally.accepted++;
    } else cand.a.dispose();
  }
  if (!next) {
    const plain = aProjectedStep(ak, zCur, zNext, wNext, bNext, cfg.rho, s.eps, DEFAULT_BACKTRACKING, gamma);
    tau = plain.tau;
    if (!feasible) next = plain.a;
    else if (plain.ok && psi(plain.a) <= psiK) next = plain.a;
    else {
      plain.a.dispose();
      next = ak.clone();
    }
  }
  reluZ?.dispose();
  if (rememberPrev) {
    s.prevA[l]?.dispose();
    s.prevA[l] = ak;
  } else ak.dispose();
  s.a[l] = next;
  setProduct(s, l + 1, null); // a_l changed: a_l W_{l+1} must be computed again
  return tau;
}

/** z_L output block: inner FISTA from the extrapolated (then, if rejected, the current) point. */
function updateZOutput(s: MdlamState, omega: number, tally: Tally): void {
  const { cfg, params, problem } = s;
  const L = params.length;
  const y = problem.data.yTrain;
  const zk = s.z[L - 1];
  const p = zTarget(s, L - 1);
  const hK = zOutputObjective(zk, p, y, cfg.rho);
  let next: tf.Tensor2D | null = null;
  if (cfg.accelerate && omega > 0 && s.prevZL) {
    tally.tried++;
    const hat = extrapolate(zk, s.prevZL, omega);
    const cand = zOutputFista(hat, p, y, cfg.rho, cfg.innerIters);
    hat.dispose();
    if (zOutputObjective(cand.z, p, y, cfg.rho) <= hK) {
      next = cand.z;
      tally.accepted++;
    } else cand.z.dispose();
  }
  if (!next) {
    const plain = zOutputFista(zk, p, y, cfg.rho, cfg.innerIters);
    if (zOutputObjective(plain.z, p, y, cfg.rho) <= hK) next = plain.z;
    else {
      plain.z.dispose();
      next = zk.clone();
    }
  }
  p.dispose();
  s.prevZL?.dispose();
  s.prevZL = zk;
  s.z[L - 1] = next;
}

export function mdlamStep(s: MdlamState): StepResult<MdlamState> {
  const L = s.params.length;
  const { cfg } = s;
  // §3: t_k = (1 + √(1 + 4t_{k−1}²))/2, ω_k = (t_{k−1} − 1)/t_k; ω_1 = 0 since t_0 = 1.
  const tk = (1 + Math.sqrt(1 + 4 * s.t * s.t)) / 2;
  const omega = cfg.accelerate ? (s.t - 1) / tk : 0;
  s.t = tk;
  const tally: Tally = { tried: 0, accepted: 0 };
  const thetas: number[] = [];
  const taus: number[] = [];
  for (let l = 0; l < L; l++) {
    thetas.push(updateW(s, l, omega, tally));
    updateB(s, l);
    if (l < L - 1) {
      let tau = NaN;
      for (let r = 0; r < cfg.innerSweeps; r++) {
        updateZHidden(s, l);
        // extrapolate only in the first pass; the repeats are plain (monotone) block steps
        const t = updateA(s, l, r === 0 ? omega : 0, tally, r === 0);
        if (r === 0) tau = t;
      }
      taus.push(tau);
    } else updateZOutput(s, omega, tally);
  }
  s.iteration++;
  s.cost += 1;
  const d = liftedDiagnostics(s);
  for (let l = 0; l < L; l++) setProduct(s, l, null);
  const extra: ExtraOf<typeof D> = { objective: d.F, eps: s.eps };
  // A rise beyond float32 rounding of the sums (1e-6 relative) is an event; at fixed ε there must be none.
  if (Number.isFinite(s.lastF) && d.F > s.lastF + 1e-6 * Math.abs(s.lastF)) extra.objectiveRose = 1;
  if (s.iteration > 1 && s.epsUsedBefore !== s.eps) extra.epsChanged = 1;
  if (cfg.rhoGrowth > 1) {
    extra.rho = cfg.rho;
    if (s.iteration > 1 && s.rhoUsedBefore !== cfg.rho) extra.rhoChanged = 1;
  }
  if (tally.tried > 0) extra.extrapAccepted = tally.accepted / tally.tried;
  // An event (pause-on-event, experiment.pauseOn): the safeguard discarded at least one extrapolated block update.
  if (tally.accepted < tally.tried) extra.extrapRejected = 1;
  for (let l = 0; l < L; l++) {
    extra[D.layer.linResidual.key(l + 1)] = d.lin[l];
    extra[D.layer.relChangeW.key(l + 1)] = d.relChangeW[l];
    extra[D.layer.forwardGap.key(l + 1)] = d.forwardGap[l];
    if (!cfg.exactW) extra[D.layer.theta.key(l + 1)] = thetas[l];
    if (l < L - 1) {
      extra[D.layer.actGap.key(l + 1)] = d.gap[l];
      extra[D.layer.tau.key(l + 1)] = taus[l];
    }
  }
  s.lastF = d.F;
  s.epsUsedBefore = s.eps;
  s.rhoUsedBefore = cfg.rho;
  // An increasing-ρ schedule (off by default): F is then comparable only between sweeps with the same ρ.
  if (cfg.rhoGrowth > 1 && cfg.rho < cfg.rhoMax) {
    cfg.rho = Math.min(cfg.rho * cfg.rhoGrowth, cfg.rhoMax);
    s.inputFactor = inputLayerFactor(s.problem, cfg);
  }
  // §3: ε ← max(ε/2, ε_min) per iteration; the next sweep runs with the new ε.
  s.eps = Math.max(s.eps * cfg.epsDecay, cfg.epsMin);
  return { state: s, metrics: { loss: d.trainLoss, gradNorm: NaN, cost: s.cost, extra } };
}

/** The paper's method: no coupling term (γ belongs to the variant only; its spec does not declare it). */
export const mdlamAlgorithm: Algorithm<MdlamState, MdlamConfig> = {
  id: 'mdlam',
  // The options as they would be on one sample (the loss-reduction scale needs N; init applies it).
  parse: (hyper) => mdlamConfig(MDLAM_SPEC, hyper, 1),
  init: (problem, hyper) => initMdlam(problem, hyper, MDLAM_SPEC),
  step: mdlamStep,
  dispose: disposeMdlam,
  liftedView: mdlamLiftedView,
};

/** The playground's coupled variant (mdlam.hyper.ts MDLAM_COUPLED_SPEC): the same sweep with its own defaults. */
export const mdlamCoupledAlgorithm: Algorithm<MdlamState, MdlamConfig> = {
  id: 'mdlam-coupled',
  parse: (hyper) => mdlamConfig(MDLAM_COUPLED_SPEC, hyper, 1),
  init: (problem, hyper) => initMdlam(problem, hyper, MDLAM_COUPLED_SPEC),
  step: mdlamStep,
  dispose: disposeMdlam,
  liftedView: mdlamLiftedView,
};
