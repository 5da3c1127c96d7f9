import * as tf from '@tensorflow/tfjs';
import { ridgeSolve, type CholeskyFactor } from '../../engine/linalg';
import { softmaxCrossEntropy } from '../../engine/model';
import { readAndDispose } from '../../engine/scalars';

/**
 * The block updates of mDLAM (algorithms.md §3) as pure functions on tensors, row-major:
 *   a_0 = X (N × n_0),  z_l ≈ a_{l−1} W_l + b_l (N × n_l),  W_l is n_{l−1} × n_l,
 *   F = R(z_L; Y) + Σ_l pen_l + Σ_l reg_l,  pen_l = (ρ/2N)‖z_l − a_{l−1}W_l − b_l‖²,  reg_l = (μ/2)‖W_l‖²,
 * with R the *mean* softmax cross-entropy and the penalty also a per-sample mean (§3 "Use per-sample means"),
 * subject to |a_l − ReLU(z_l)| ≤ ε for hidden layers.
 *
 * Every value returned as a number is in these mean-objective units. No function disposes its inputs;
 * returned tensors are new and owned by the caller. No back-propagation anywhere: each gradient below is the
 * closed-form gradient of a quadratic (or of the per-sample cross-entropy), written out.
 *
 * Scaling of the per-sample blocks (a_l, z_L) — chosen: their block problems separate over samples, and with
 * mean losses every term carries 1/N, so a backtracking constant that starts at 1 and only doubles would give
 * steps N times too short. Their step constants τ (and the FISTA Lipschitz constant) are therefore measured on
 * the per-sample objective N·(block terms), which has the same minimiser; τ = 1 then means "step 1 per sample".
 */

export interface LiftedScales {
  rho: number;
  mu: number;
}

/** Backtracking per §3 "Defaults": start 1, factor 2, at most 10 doublings. */
export interface Backtracking {
  start: number;
  factor: number;
  maxDoublings: number;
}
export const DEFAULT_BACKTRACKING: Backtracking = { start: 1, factor: 2, maxDoublings: 10 };

function rows(t: tf.Tensor): number {
  return t.shape[0] as number;
}

/**
 * The product a W of a layer's input and weights. Every function below that needs it takes it as an optional last
 * argument `aw` (already computed by the caller, e.g. kept by mdlam.ts while a and W do not change); without it
 * the product is computed. With the 12,000 × 784 input of MNIST one product costs as much as the rest of a
 * block update, so a sweep reuses them (the values are the same products, computed once).
 */
function product(aPrev: tf.Tensor2D, w: tf.Tensor2D, aw?: tf.Tensor2D): tf.Tensor2D {
  return aw ?? (tf.matMul(aPrev, w) as tf.Tensor2D);
}

/** z − a W − b (the linear residual of one layer). */
export function linearResidual(z: tf.Tensor2D, aPrev: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, aw?: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.sub(z, aw ? tf.add(aw, b) : tf.fused.matMul({ a: aPrev, b: w, bias: b })) as tf.Tensor2D);
}

/** pen_l = (ρ/2N)‖z − aW − b‖² as a scalar tensor. */
export function penaltyTerm(z: tf.Tensor2D, aPrev: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, rho: number, aw?: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mul(rho / (2 * rows(z)), tf.sum(tf.square(linearResidual(z, aPrev, w, b, aw)))) as tf.Scalar);
}

/** φ(W) = pen_l + reg_l: the terms of F that contain W_l. */
export function wObjective(w: tf.Tensor2D, aPrev: tf.Tensor2D, z: tf.Tensor2D, b: tf.Tensor1D, s: LiftedScales, aw?: tf.Tensor2D): number {
  return readAndDispose([tf.tidy(() => tf.add(penaltyTerm(z, aPrev, w, b, s.rho, aw), tf.mul(s.mu / 2, tf.sum(tf.square(w)))))])[0];
}

export interface WStep {
  w: tf.Tensor2D;
  /** a W of the returned w: a Ŵ − (a ∇φ)/θ from the products the step computed anyway (owned by the caller). */
  aw: tf.Tensor2D;
  /** Accepted backtracking constant θ (the last one tried when the doublings ran out and W was kept). */
  theta: number;
  ok: boolean;
}

/**
 * One gradient step on φ(W) = (ρ/2N)‖z − aW − b‖² + (μ/2)‖W‖² from `wFrom`, with θ doubling from 1 until
 * φ(W⁺) ≤ φ(W) + ⟨∇φ, W⁺ − W⟩ + (θ/2)‖W⁺ − W‖², W⁺ = W − ∇φ/θ (§3, W_l). φ along W − s∇φ is a quadratic in
 * s whose six coefficients come from one matmul and one read, so the trials cost no further matmuls.
 */
export function wGradientStep(
  wFrom: tf.Tensor2D,
  aPrev: tf.Tensor2D,
  z: tf.Tensor2D,
  b: tf.Tensor1D,
  s: LiftedScales,
  bt: Backtracking = DEFAULT_BACKTRACKING,
  awFrom?: tf.Tensor2D,
): WStep {
  const n = rows(z);
  const c = s.rho / n;
  const aw0 = product(aPrev, wFrom, awFrom);
  const r0 = linearResidual(z, aPrev, wFrom, b, aw0);
  const g = tf.tidy(() => tf.add(tf.mul(-c, tf.matMul(aPrev, r0, true, false)), tf.mul(s.mu, wFrom)) as tf.Tensor2D);
  const G = tf.matMul(aPrev, g) as tf.Tensor2D;
  const [r00, r0G, GG, ww, wg, gg] = readAndDispose(
    tf.tidy(() => [tf.sum(tf.square(r0)), tf.sum(tf.mul(r0, G)), tf.sum(tf.square(G)), tf.sum(tf.square(wFrom)), tf.sum(tf.mul(wFrom, g)), tf.sum(tf.square(g))]),
  );
  r0.dispose();
  const phi = (st: number) => (c / 2) * (r00 + 2 * st * r0G + st * st * GG) + (s.mu / 2) * (ww - 2 * st * wg + st * st * gg);
  const phi0 = phi(0);
  let theta = bt.start;
  try {
    for (let d = 0; d <= bt.maxDoublings; d++) {
      if (phi(1 / theta) <= phi0 - gg / (2 * theta)) {
        const t = theta;
        const w = tf.tidy(() => tf.sub(wFrom, tf.mul(1 / t, g)) as tf.Tensor2D);
        const aw = tf.tidy(() => tf.sub(aw0, tf.mul(1 / t, G)) as tf.Tensor2D);
        return { w, aw, theta, ok: true };
      }
      theta *= bt.factor;
    }
    return { w: wFrom.clone(), aw: aw0.clone(), theta: theta / bt.factor, ok: false };
  } finally {
    tf.dispose([g, G]);
    if (aw0 !== awFrom) aw0.dispose();
  }
}

/**
 * Exact W block (§3, optional "exact" mode): W = argmin φ = (aᵀa + (μN/ρ) I)⁻¹ aᵀ(z − b), an n_{l−1} × n_{l−1}
 * SPD solve via linalg (Cholesky up to ~1000 wide, CG beyond). `factor` may carry the factor of aᵀa + λI when
 * a does not change (the input layer), so only triangular solves run.
 */
export function wExact(aPrev: tf.Tensor2D, z: tf.Tensor2D, b: tf.Tensor1D, s: LiftedScales, factor?: CholeskyFactor): tf.Tensor2D {
  const target = tf.sub(z, b) as tf.Tensor2D;
  try {
    return ridgeSolve(aPrev, target, ridgeLambda(rows(z), s), { factor });
  } finally {
    target.dispose();
  }
}

/** λ of the exact W solve in row-major mean units; floored so μ = 0 still gives an SPD system. */
export function ridgeLambda(n: number, s: LiftedScales): number {
  return Math.max((s.mu * n) / s.rho, 1e-6 * n);
}

/** b_l closed form (§3): the mean over samples of z_l − a_{l−1} W_l. */
export function bClosedForm(aPrev: tf.Tensor2D, w: tf.Tensor2D, z: tf.Tensor2D, aw?: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.mean(tf.sub(z, product(aPrev, w, aw)), 0) as tf.Tensor1D);
}

/**
 * z_l hidden closed form (§3): project P = a_{l−1}W_l + b_l onto {z : |ReLU(z) − a_l| ≤ ε}, which is the
 * interval z ≤ a_l + ε, and also z ≥ a_l − ε where a_l − ε > 0. pen_l is separable, so the clip is the exact
 * block minimiser.
 */
export function zHiddenProject(p: tf.Tensor2D, a: tf.Tensor2D, eps: number): tf.Tensor2D {
  return tf.tidy(() => {
    const hi = tf.add(a, eps);
    const lo = tf.sub(a, eps);
    const upper = tf.minimum(p, hi);
    return tf.where(tf.greater(lo, 0), tf.maximum(upper, lo), upper) as tf.Tensor2D;
  });
}

/**
 * z_l hidden block of the playground's coupled variant (not in the paper): minimise, per entry,
 *   (ρ/2)(z − P)² + (γ/2)(a − ReLU(z))²   subject to |ReLU(z) − a| ≤ ε,
 * exactly. On z ≤ 0 the objective is (ρ/2)(z − P)² + (γ/2)a² with minimiser min(P, 0), feasible iff |a| ≤ ε; on
 * z ≥ 0 it is a quadratic with minimiser (ρP + γa)/(ρ + γ), clipped to [max(0, a − ε), a + ε]; the lower of the two
 * feasible candidates wins. γ = 0 gives zHiddenProject's projection. The coupling is what lets a change of a_l pull
 * z_l (and so W_l) along: in the paper's z block P is feasible whenever a_l stayed inside the tube, so z_l = P and
 * the loss's signal reaches W_l only through tube violations after ε shrank.
 */
export function zHiddenCoupled(p: tf.Tensor2D, a: tf.Tensor2D, eps: number, rho: number, gamma: number): tf.Tensor2D {
  return tf.tidy(() => {
    const zNeg = tf.minimum(p, 0);
    const fNeg = tf.add(tf.mul(rho / 2, tf.square(tf.sub(zNeg, p))), tf.mul(gamma / 2, tf.square(a)));
    const negOk = tf.lessEqual(tf.abs(a), eps);
    const lo = tf.maximum(tf.sub(a, eps), 0);
    const hi = tf.add(a, eps);
    const zPos = tf.minimum(tf.maximum(tf.div(tf.add(tf.mul(rho, p), tf.mul(gamma, a)), rho + gamma), lo), hi);
    const fPos = tf.add(tf.mul(rho / 2, tf.square(tf.sub(zPos, p))), tf.mul(gamma / 2, tf.square(tf.sub(a, zPos))));
    // a ≥ −ε always (the a block keeps a in the tube), so the z ≥ 0 piece is feasible (hi ≥ lo) whenever the other is not
    const takeNeg = tf.logicalAnd(negOk, tf.lessEqual(fNeg, fPos));
    return tf.where(takeNeg, zNeg, zPos) as tf.Tensor2D;
  });
}

/** The ε-tube around ReLU(z): [ReLU(z) − ε, ReLU(z) + ε]. */
export function tube(z: tf.Tensor2D, eps: number): { lo: tf.Tensor2D; hi: tf.Tensor2D } {
  return tf.tidy(() => {
    const r = tf.relu(z);
    return { lo: tf.sub(r, eps) as tf.Tensor2D, hi: tf.add(r, eps) as tf.Tensor2D };
  });
}

/** max |a − ReLU(z)| − ε: ≤ 0 when a lies in the tube. */
export function tubeViolation(a: tf.Tensor2D, z: tf.Tensor2D, eps: number): number {
  return readAndDispose([tf.tidy(() => tf.sub(tf.max(tf.abs(tf.sub(a, tf.relu(z)))), eps))])[0];
}

/**
 * ψ(a) = pen_{l+1} (+ the coupling term of the playground's variant, (γ/2N)‖a − ReLU(z_l)‖², when γ > 0): the terms
 * of F besides the tube that contain a_l. `reluZ` (ReLU(z_l)) is needed only when γ > 0.
 */
export function aObjective(a: tf.Tensor2D, zNext: tf.Tensor2D, wNext: tf.Tensor2D, bNext: tf.Tensor1D, rho: number, gamma = 0, reluZ?: tf.Tensor2D): number {
  return readAndDispose([tf.tidy(() => (gamma > 0 ? tf.add(penaltyTerm(zNext, a, wNext, bNext, rho), couplingTerm(a, reluZ!, gamma)) : penaltyTerm(zNext, a, wNext, bNext, rho)))])[0];
}

/** The variant's coupling term (γ/2N)‖a − ReLU(z)‖² given ReLU(z), as a scalar tensor. */
export function couplingTerm(a: tf.Tensor2D, reluZ: tf.Tensor2D, gamma: number): tf.Scalar {
  return tf.tidy(() => tf.mul(gamma / (2 * rows(a)), tf.sum(tf.square(tf.sub(a, reluZ)))) as tf.Scalar);
}

export interface AStep {
  a: tf.Tensor2D;
  /** Accepted τ (per-sample units); the last one tried when the doublings ran out. */
  tau: number;
  ok: boolean;
}

/**
 * a_l hidden (§3): one projected gradient step on ψ(a) = (ρ/2N)‖z_{l+1} − a W_{l+1} − b_{l+1}‖² from `aFrom`
 * onto the box [ReLU(z_l) − ε, ReLU(z_l) + ε], with τ doubling from 1 until the projected step satisfies the
 * descent-lemma test. τ is in per-sample units (see the file comment). When the doublings run out, the result
 * is the projection of the last trial (feasible, but not guaranteed to decrease ψ); the caller decides.
 */
export function aProjectedStep(
  aFrom: tf.Tensor2D,
  zCur: tf.Tensor2D,
  zNext: tf.Tensor2D,
  wNext: tf.Tensor2D,
  bNext: tf.Tensor1D,
  rho: number,
  eps: number,
  bt: Backtracking = DEFAULT_BACKTRACKING,
  gamma = 0,
): AStep {
  const n = rows(aFrom);
  const { lo, hi } = tube(zCur, eps);
  const reluZ = gamma > 0 ? tf.relu(zCur) : undefined;
  // per-sample objective ψ̃ = N ψ = (ρ/2)‖R‖² (+ (γ/2)‖a − ReLU(z_l)‖²), ∇ψ̃ = −ρ R W_{l+1}ᵀ (+ γ(a − ReLU(z_l)))
  const grad = tf.tidy(() => {
    const g = tf.mul(-rho, tf.matMul(linearResidual(zNext, aFrom, wNext, bNext), wNext, false, true));
    return (reluZ ? tf.add(g, tf.mul(gamma, tf.sub(aFrom, reluZ))) : g) as tf.Tensor2D;
  });
  const psi0 = aObjective(aFrom, zNext, wNext, bNext, rho, gamma, reluZ) * n;
  let tau = bt.start;
  let cand: tf.Tensor2D | null = null;
  try {
    for (let d = 0; d <= bt.maxDoublings; d++) {
      cand?.dispose();
      const t = tau;
      cand = tf.tidy(() => tf.minimum(tf.maximum(tf.sub(aFrom, tf.mul(1 / t, grad)), lo), hi) as tf.Tensor2D);
      const c = cand;
      const [psi, lin, sq] = readAndDispose(
        tf.tidy(() => {
          const diff = tf.sub(c, aFrom);
          const psi = reluZ ? tf.add(penaltyTerm(zNext, c, wNext, bNext, rho), couplingTerm(c, reluZ, gamma)) : penaltyTerm(zNext, c, wNext, bNext, rho);
          return [tf.mul(n, psi), tf.sum(tf.mul(grad, diff)), tf.sum(tf.square(diff))];
        }),
      );
      if (psi <= psi0 + lin + (t / 2) * sq) return { a: cand, tau: t, ok: true };
      tau *= bt.factor;
    }
    return { a: cand!, tau: tau / bt.factor, ok: false };
  } finally {
    tf.dispose([lo, hi, grad]);
    reluZ?.dispose();
  }
}

/** Clip a onto the tube around ReLU(z) (restores feasibility after ε shrank). */
export function projectToTube(a: tf.Tensor2D, z: tf.Tensor2D, eps: number): tf.Tensor2D {
  return tf.tidy(() => {
    const { lo, hi } = tube(z, eps);
    return tf.minimum(tf.maximum(a, lo), hi) as tf.Tensor2D;
  });
}

/** h(z) = R(z; Y) + (ρ/2N)‖z − P‖²: the terms of F that contain z_L. */
export function zOutputObjective(z: tf.Tensor2D, p: tf.Tensor2D, y: tf.Tensor2D, rho: number): number {
  return readAndDispose([tf.tidy(() => tf.add(softmaxCrossEntropy(z, y), tf.mul(rho / (2 * rows(z)), tf.sum(tf.square(tf.sub(z, p))))))])[0];
}

export interface ZOutputResult {
  z: tf.Tensor2D;
  iterations: number;
}

/**
 * z_L output (§3): minimise R(z; Y) + (ρ/2N)‖z − P‖² by an inner accelerated proximal-gradient loop, stopping
 * when the RMS change per entry falls below `tol` (checked every 5 iterations, one read each) or after maxIter.
 * Chosen variant: the per-sample objective CE(z_i) + (ρ/2)‖z_i − P_i‖² is (½ + ρ)-smooth (the softmax-CE
 * Hessian is ≤ ½ I) and ρ-strongly convex, so we use FISTA with the constant momentum (√κ − 1)/(√κ + 1),
 * κ = (½ + ρ)/ρ (Beck 2017, V-FISTA); its prox-gradient step on the CE with the quadratic as the prox term is
 * z⁺ = (½ v − (softmax(v) − y) + ρ P)/(½ + ρ). No backtracking is needed with the fixed Lipschitz bound.
 */
export function zOutputFista(zFrom: tf.Tensor2D, p: tf.Tensor2D, y: tf.Tensor2D, rho: number, maxIter: number, tol = 1e-4): ZOutputResult {
  const L = 0.5;
  const kappa = (L + rho) / rho;
  const beta = (Math.sqrt(kappa) - 1) / (Math.sqrt(kappa) + 1);
  let z = zFrom.clone();
  let zPrev = zFrom.clone();
  const rhoP = tf.mul(rho, p);
  const size = z.size;
  let it = 0;
  try {
    while (it < maxIter) {
      const zNew = tf.tidy(() => {
        const v = tf.add(z, tf.mul(beta, tf.sub(z, zPrev)));
        const g = tf.sub(tf.softmax(v), y);
        return tf.div(tf.add(tf.sub(tf.mul(L, v), g), rhoP), L + rho) as tf.Tensor2D;
      });
      zPrev.dispose();
      zPrev = z;
      z = zNew;
      it++;
      if (it % 5 === 0) {
        const [d2] = readAndDispose([tf.tidy(() => tf.sum(tf.square(tf.sub(z, zPrev))))]);
        if (Math.sqrt(d2 / size) < tol) break;
      }
    }
    return { z, iterations: it };
  } finally {
    zPrev.dispose();
    rhoP.dispose();
  }
}
