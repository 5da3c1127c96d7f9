import * as tf from '@tensorflow/tfjs';
import { softmaxCrossEntropy } from '../../engine/model';
import type { Params } from '../../engine/types';

/**
 * Fenchel lifted networks (algorithms.md §4; Gu, Askari, El Ghaoui, AISTATS 2020) as pure functions on tensors.
 *
 * Row-major, with the playground's layer numbering l = 1..L: the lifted hidden activations are A_1..A_{L−1}
 * (N × d_l, constrained A_l ≥ 0), A_0 = X (the inputs), Z_l = A_{l−1} W_l + b_l. The notes write the same thing
 * column-major with 0-based layers (their U_l = W_l X_l + b_l, penalty B(U_l, X_{l+1})): their X_{l+1} is our A_l.
 *
 * Lifted objective (all terms per-sample means, "mean losses" as in the notes' NumPy reference):
 *     J = CE(Y, A_{L−1} W_L + b_L) + Σ_{l=1}^{L−1} λ_l · (1/N) Σ B(Z_l, A_l) + ρ Σ_l ‖W_l‖²
 * with B(u, v) = ½v² + ½u₊² − uv summed over entries (the paper's §4.1 penalty; the code's 2B goes into λ).
 *
 * Nothing here disposes its inputs; every function returns tensors the caller owns.
 */

/** Elementwise biconvex penalty B(u, v) = ½v² + ½u₊² − uv (≥ 0 for v ≥ 0, = 0 exactly when v = ReLU(u)). */
export function biconvexB(u: tf.Tensor, v: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.mul(0.5, tf.add(tf.square(v), tf.square(tf.relu(u)))), tf.mul(u, v)));
}

/** The same penalty on plain numbers (tests, reference checks). */
export function biconvexBScalar(u: number, v: number): number {
  const up = u > 0 ? u : 0;
  return 0.5 * v * v + 0.5 * up * up - u * v;
}

function dense(a: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.fused.matMul({ a, b: W, bias: b }) as tf.Tensor2D;
}

function frobSq(t: tf.Tensor): tf.Scalar {
  return tf.sum(tf.square(t)) as tf.Scalar;
}

/** The hyperparameters the lifted objective and its blocks depend on. */
export interface LiftedWeights {
  /** λ_l for hidden layers l = 1..L−1 (index l − 1). */
  lambdas: number[];
  /** Weight c on the next-layer term in the activation blocks (§4 step 1; 1 keeps them exact blocks of J). */
  c: number;
  /** Ridge ρ on every W_l. */
  rho: number;
  /** Proximal weight ρ_d on hidden (W, b) blocks and on the output block. */
  rhoD: number;
  rhoDOut: number;
}

export interface LiftedTerms {
  /** Output cross-entropy on the lifted last hidden layer. */
  ce: tf.Scalar;
  /** (1/N) Σ B(Z_l, A_l) per hidden layer (the quantity λ_l multiplies). */
  penalty: tf.Scalar[];
  /** Mean of B(Z_l, A_l) over all N·d_l entries (the `layer<l>.B` series). */
  meanB: tf.Scalar[];
  /** ‖A_l − ReLU(Z_l)‖ / √(N d_l) (the `layer<l>.mismatch` series). */
  mismatch: tf.Scalar[];
  /** ρ Σ ‖W_l‖². */
  ridge: tf.Scalar;
  /** J = ce + Σ λ_l penalty_l + ridge. */
  objective: tf.Scalar;
}

/** All terms of the lifted objective J at (params, acts); acts = [A_1..A_{L−1}]. */
export function liftedTerms(params: Params, acts: tf.Tensor2D[], x: tf.Tensor2D, y: tf.Tensor2D, w: LiftedWeights): LiftedTerms {
  const L = params.length;
  return tf.tidy(() => {
    const n = x.shape[0];
    const penalty: tf.Scalar[] = [];
    const meanB: tf.Scalar[] = [];
    const mismatch: tf.Scalar[] = [];
    let prev = x;
    for (let l = 1; l < L; l++) {
      const z = dense(prev, params[l - 1].W, params[l - 1].b);
      const a = acts[l - 1];
      const s = tf.sum(biconvexB(z, a)) as tf.Scalar;
      penalty.push(tf.div(s, n) as tf.Scalar);
      meanB.push(tf.div(s, n * a.shape[1]) as tf.Scalar);
      mismatch.push(tf.sqrt(tf.div(frobSq(tf.sub(a, tf.relu(z))), n * a.shape[1])) as tf.Scalar);
      prev = a;
    }
    const ce = softmaxCrossEntropy(dense(prev, params[L - 1].W, params[L - 1].b), y);
    const ridge = tf.mul(w.rho, tf.addN(params.map((p) => frobSq(p.W)))) as tf.Scalar;
    let objective: tf.Tensor = tf.add(ce, ridge);
    penalty.forEach((p, i) => (objective = tf.add(objective, tf.mul(w.lambdas[i], p))));
    return { ce, penalty, meanB, mismatch, ridge, objective: objective as tf.Scalar };
  });
}

export function disposeTerms(t: LiftedTerms): void {
  tf.dispose([t.ce, ...t.penalty, ...t.meanB, ...t.mismatch, t.ridge, t.objective]);
}

/** Lifted activations from an ordinary forward pass (§4 step 3): A_l = ReLU(Z_l), where every B vanishes. */
export function forwardActivations(params: Params, x: tf.Tensor2D): tf.Tensor2D[] {
  return tf.tidy(() => {
    const out: tf.Tensor2D[] = [];
    let prev = x;
    for (let l = 1; l < params.length; l++) {
      prev = tf.relu(dense(prev, params[l - 1].W, params[l - 1].b));
      out.push(prev);
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Squared-norm bounds for the blocks' Lipschitz constants

/**
 * Every block's Lipschitz constant contains a squared matrix norm: ‖W_{l+1}‖² (activation blocks) or ‖[A_{l−1}, 1]‖²
 * (weight blocks). The Frobenius norm bounds the spectral norm cheaply but can be several times larger (1.5–4.8× on
 * the two-moons network), which makes every step 1/Lip that much shorter. The notes' reference (algorithms.md §5,
 * Fenchel row) uses the spectral norm ‖·‖₂²; `SpectralBound` estimates it by power iteration on MᵀM, warm-started
 * from the previous sweep's vector of the same block (3 iterations warm, 30 cold), times a 5 % margin and never above
 * the Frobenius bound. Power iteration approaches ‖M‖₂² from below, but a projected gradient step of length 1/L′ still
 * descends for any L′ > L/2 (f(x⁺) ≤ f(x) − (1/L′)(1 − L/(2L′))‖G‖²), so the blocks stay non-increasing unless the
 * estimate is off by more than a factor of two — fenchel.test.ts checks that it is within a few percent.
 */
export interface NormBound {
  /** A bound on ‖m‖₂², as a scalar tensor the caller disposes. `key` names the block for warm starts. */
  matrix(key: string, m: tf.Tensor2D): tf.Scalar;
  /** A bound on ‖[a, 1]‖₂² (a with a column of ones appended, the bias column of a weight block). */
  augmented(key: string, a: tf.Tensor2D): tf.Scalar;
  dispose(): void;
}

export const LIPSCHITZ_BOUNDS = ['spectral', 'frobenius'] as const;
export type LipschitzBound = (typeof LIPSCHITZ_BOUNDS)[number];

export const FROBENIUS_BOUND: NormBound = {
  matrix: (_key, m) => frobSq(m),
  augmented: (_key, a) => tf.tidy(() => tf.add(frobSq(a), a.shape[0]) as tf.Scalar),
  dispose: () => {},
};

export class SpectralBound implements NormBound {
  private vectors = new Map<string, tf.Tensor1D>();
  constructor(private readonly warmIterations = 3, private readonly coldIterations = 30, private readonly margin = 1.05) {}

  private power(key: string, cols: number, apply: (v: tf.Tensor1D) => tf.Tensor1D, frob: () => tf.Scalar): tf.Scalar {
    const old = this.vectors.get(key);
    const warm = old !== undefined && old.shape[0] === cols;
    const iterations = warm ? this.warmIterations : this.coldIterations;
    const [v, bound] = tf.tidy(() => {
      // A fixed, non-degenerate cold start (all ones plus a ramp) keeps runs deterministic without a seed.
      let v: tf.Tensor1D = warm ? old! : (tf.div(tf.add(1, tf.linspace(0, 1, cols)), Math.sqrt(cols)) as tf.Tensor1D);
      let est: tf.Scalar = tf.scalar(0);
      for (let k = 0; k < iterations; k++) {
        const w = apply(v); // MᵀM v
        est = tf.norm(w) as tf.Scalar; // ‖MᵀM v‖ with ‖v‖ = 1: → ‖M‖₂² from below
        v = tf.div(w, tf.maximum(est, 1e-30)) as tf.Tensor1D;
      }
      return [v, tf.minimum(tf.mul(est, this.margin), frob()) as tf.Scalar];
    });
    old?.dispose();
    this.vectors.set(key, v);
    return bound;
  }

  matrix(key: string, m: tf.Tensor2D): tf.Scalar {
    return this.power(key, m.shape[1], (v) => tf.tidy(() => tf.reshape(tf.matMul(m, tf.matMul(m, tf.reshape(v, [-1, 1])), true, false), [-1]) as tf.Tensor1D), () => frobSq(m));
  }

  augmented(key: string, a: tf.Tensor2D): tf.Scalar {
    const d = a.shape[1];
    return this.power(
      key,
      d + 1,
      (v) =>
        tf.tidy(() => {
          const u = tf.add(tf.matMul(a, tf.reshape(tf.slice(v, 0, d), [-1, 1])), tf.slice(v, d, 1)); // [a, 1] v
          return tf.concat([tf.reshape(tf.matMul(a, u, true, false), [-1]), tf.reshape(tf.sum(u), [1])]) as tf.Tensor1D; // [a, 1]ᵀ u
        }),
      () => tf.tidy(() => tf.add(frobSq(a), a.shape[0]) as tf.Scalar),
    );
  }

  dispose(): void {
    for (const v of this.vectors.values()) v.dispose();
    this.vectors.clear();
  }
}

export function normBound(kind: LipschitzBound): NormBound {
  return kind === 'spectral' ? new SpectralBound() : FROBENIUS_BOUND;
}

// ---------------------------------------------------------------------------------------------------------------
// Convex blocks and their solvers

/**
 * One convex block problem min_x f(x) over a list of tensors (optionally x ≥ 0). `lip` is a valid Lipschitz
 * constant of ∇f (as a scalar tensor, so that no device→host read is needed inside a sweep), which makes the step
 * 1/lip a guaranteed descent step (descent lemma).
 */
export interface ConvexBlock {
  value(x: tf.Tensor[]): tf.Scalar;
  grad(x: tf.Tensor[]): tf.Tensor[];
  lip: tf.Scalar;
  /**
   * Tensors the block made once for all its inner steps (the transposed constant factor of its gradient's
   * product: WASM transposes before every transposed matmul, 20 times per block otherwise); freed by disposeBlock.
   */
  owned?: tf.Tensor[];
  nonneg: boolean;
}

export type InnerSolver = 'pg' | 'fista';

export interface BlockResult {
  x: tf.Tensor[];
  before: tf.Scalar;
  after: tf.Scalar;
}

function gradStep(block: ConvexBlock, y: tf.Tensor[]): tf.Tensor[] {
  return tf.tidy(() => {
    const g = block.grad(y);
    return y.map((t, i) => {
      const s = tf.sub(t, tf.div(g[i], block.lip));
      return block.nonneg ? tf.relu(s) : s;
    });
  });
}

/**
 * Solve a block with `steps` iterations from x0 (not disposed). 'pg': projected gradient x ← P(x − ∇f/Lip), each
 * step non-increasing by the descent lemma. 'fista': the monotone FISTA of Beck & Teboulle (2009, MFISTA): the
 * accelerated step from the extrapolated point is accepted only if it does not raise f, so f(x_k) never rises
 * either (the notes allow "projected gradient or FISTA"; the monotone variant is chosen here because every block
 * must be non-increasing). The comparison is done on the device (a 0/1 mix), so the loop never syncs.
 */
export function solveBlock(block: ConvexBlock, x0: tf.Tensor[], steps: number, solver: InnerSolver): BlockResult {
  const before = block.value(x0);
  let x = x0.map((t) => t.clone());
  if (solver === 'pg') {
    for (let k = 0; k < steps; k++) {
      const next = gradStep(block, x);
      tf.dispose(x);
      x = next;
    }
    return { x, before, after: block.value(x) };
  }
  let yPt = x.map((t) => t.clone());
  let fx = before.clone();
  let t = 1;
  for (let k = 0; k < steps; k++) {
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const z = gradStep(block, yPt);
    const out = tf.tidy(() => {
      const fz = block.value(z);
      const take = tf.cast(tf.lessEqual(fz, fx), 'float32');
      const keep = tf.sub(1, take);
      // z·1 + x·0 is exactly z (and vice versa), so f at the accepted point is exactly min(fz, fx).
      const xNew = z.map((zi, i) => tf.add(tf.mul(zi, take), tf.mul(x[i], keep)));
      const fNew = tf.minimum(fz, fx) as tf.Scalar;
      // y_{k+1} = x_k + (t_k/t_{k+1})(z_k − x_k) + ((t_k − 1)/t_{k+1})(x_k − x_{k−1})
      const yNew = xNew.map((xi, i) =>
        tf.add(xi, tf.add(tf.mul(t / tNext, tf.sub(z[i], xi)), tf.mul((t - 1) / tNext, tf.sub(xi, x[i])))),
      );
      return { xNew, fNew, yNew };
    });
    tf.dispose([...z, ...x, ...yPt, fx]);
    x = out.xNew;
    yPt = out.yNew;
    fx = out.fNew;
    t = tNext;
  }
  tf.dispose(yPt);
  const after = fx;
  return { x, before, after };
}

/**
 * Activation block of the last hidden layer A_{L−1} (the notes' X_L):
 *   min_{A ≥ 0} c·CE(Y, A W_L + b_L) + λ (1/N) Σ B(Z, A),   Z = A_{L−2} W_{L−1} + b_{L−1} fixed.
 * ∇ = (1/N)[c (softmax(A W_L + b_L) − Y) W_Lᵀ + λ (A − Z)]. Lipschitz: the softmax-CE Hessian is ≤ ½ I per row,
 * so Lip = (1/N)(c·½‖W_L‖² + λ); ‖W_L‖² is `sqNorm` (a NormBound's; absent = the Frobenius bound, §4 step 1).
 */
export function lastActivationBlock(z: tf.Tensor2D, Wout: tf.Tensor2D, bOut: tf.Tensor1D, y: tf.Tensor2D, lambda: number, c: number, sqNorm?: tf.Scalar): ConvexBlock {
  const n = z.shape[0];
  const WoutT = tf.transpose(Wout) as tf.Tensor2D;
  return {
    nonneg: true,
    owned: [WoutT],
    lip: tf.tidy(() => tf.div(tf.add(tf.mul(0.5 * c, sqNorm ?? frobSq(Wout)), lambda), n) as tf.Scalar),
    value: ([a]) =>
      tf.tidy(() => tf.add(tf.mul(c, softmaxCrossEntropy(dense(a as tf.Tensor2D, Wout, bOut), y)), tf.mul(lambda / n, tf.sum(biconvexB(z, a)))) as tf.Scalar),
    grad: ([a]) =>
      tf.tidy(() => {
        const p = tf.softmax(dense(a as tf.Tensor2D, Wout, bOut));
        const g = tf.add(tf.mul(c, tf.matMul(tf.sub(p, y), WoutT)), tf.mul(lambda, tf.sub(a, z)));
        return [tf.div(g, n)];
      }),
  };
}

/**
 * Activation block of a hidden layer A_l below the last (§4 step 1):
 *   min_{A ≥ 0} λ_l (1/N) Σ B(Z_l, A) + c λ_{l+1} (1/N) Σ B(A W_{l+1} + b_{l+1}, A_{l+1}).
 * ∇ = (1/N)[λ_l (A − Z_l) + c λ_{l+1} (ReLU(A W + b) − A_{l+1}) Wᵀ]; Lip = (1/N)(λ_l + c λ_{l+1} ‖W_{l+1}‖²_F).
 */
export function hiddenActivationBlock(
  z: tf.Tensor2D,
  Wnext: tf.Tensor2D,
  bNext: tf.Tensor1D,
  aNext: tf.Tensor2D,
  lambda: number,
  lambdaNext: number,
  c: number,
  sqNorm?: tf.Scalar,
): ConvexBlock {
  const n = z.shape[0];
  const cl = c * lambdaNext;
  const WnextT = tf.transpose(Wnext) as tf.Tensor2D;
  return {
    nonneg: true,
    owned: [WnextT],
    lip: tf.tidy(() => tf.div(tf.add(tf.mul(cl, sqNorm ?? frobSq(Wnext)), lambda), n) as tf.Scalar),
    value: ([a]) =>
      tf.tidy(() => tf.div(tf.add(tf.mul(lambda, tf.sum(biconvexB(z, a))), tf.mul(cl, tf.sum(biconvexB(dense(a as tf.Tensor2D, Wnext, bNext), aNext)))), n) as tf.Scalar),
    grad: ([a]) =>
      tf.tidy(() => {
        const r = tf.sub(tf.relu(dense(a as tf.Tensor2D, Wnext, bNext)), aNext);
        return [tf.div(tf.add(tf.mul(lambda, tf.sub(a, z)), tf.mul(cl, tf.matMul(r, WnextT))), n)];
      }),
  };
}

function proxTerms(W: tf.Tensor, b: tf.Tensor, W0: tf.Tensor2D, b0: tf.Tensor1D, rho: number, rhoD: number): tf.Scalar {
  return tf.tidy(() => {
    let v: tf.Tensor = tf.mul(rho, frobSq(W));
    if (rhoD > 0) v = tf.add(v, tf.mul(rhoD, tf.add(frobSq(tf.sub(W, W0)), frobSq(tf.sub(b, b0)))));
    return v as tf.Scalar;
  });
}

function proxGrads(W: tf.Tensor, b: tf.Tensor, W0: tf.Tensor2D, b0: tf.Tensor1D, rho: number, rhoD: number): [tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    let gW: tf.Tensor = tf.mul(2 * rho, W);
    let gb: tf.Tensor = tf.zerosLike(b);
    if (rhoD > 0) {
      gW = tf.add(gW, tf.mul(2 * rhoD, tf.sub(W, W0)));
      gb = tf.mul(2 * rhoD, tf.sub(b, b0));
    }
    return [gW, gb];
  });
}

/**
 * Hidden weight block (W_l, b_l) (§4 step 2), a "ReLU-matching" regression:
 *   min λ_l (1/N) Σ B(A_{l−1} W + b, A_l) + ρ‖W‖² + ρ_d(‖W − W⁰‖² + ‖b − b⁰‖²),  W⁰, b⁰ = the weights before the block.
 * ∇_W = (λ_l/N) A_{l−1}ᵀ (ReLU(Z) − A_l) + 2ρW + 2ρ_d(W − W⁰), ∇_b = (λ_l/N) Σ_rows(ReLU(Z) − A_l) + 2ρ_d(b − b⁰).
 * u ↦ ½u₊² has a 1-Lipschitz derivative, so Lip = (λ_l/N)‖[A_{l−1}, 1]‖²_F + 2ρ + 2ρ_d (Frobenius bound).
 */
export function hiddenWeightBlock(aPrev: tf.Tensor2D, aOut: tf.Tensor2D, W0: tf.Tensor2D, b0: tf.Tensor1D, lambda: number, rho: number, rhoD: number, sqNorm?: tf.Scalar): ConvexBlock {
  const n = aPrev.shape[0];
  const aPrevT = tf.transpose(aPrev) as tf.Tensor2D;
  return {
    nonneg: false,
    owned: [aPrevT],
    lip: tf.tidy(() => tf.add(tf.mul(lambda / n, sqNorm ?? tf.add(frobSq(aPrev), n)), 2 * rho + 2 * rhoD) as tf.Scalar),
    value: ([W, b]) =>
      tf.tidy(() => tf.add(tf.mul(lambda / n, tf.sum(biconvexB(dense(aPrev, W as tf.Tensor2D, b as tf.Tensor1D), aOut))), proxTerms(W, b, W0, b0, rho, rhoD)) as tf.Scalar),
    grad: ([W, b]) =>
      tf.tidy(() => {
        const r = tf.mul(lambda / n, tf.sub(tf.relu(dense(aPrev, W as tf.Tensor2D, b as tf.Tensor1D)), aOut));
        const [pW, pb] = proxGrads(W, b, W0, b0, rho, rhoD);
        return [tf.add(tf.matMul(aPrevT, r), pW), tf.add(tf.sum(r, 0), pb)];
      }),
  };
}

/**
 * Output weight block (W_L, b_L): multinomial logistic regression on the lifted A_{L−1} (+ ridge, + proximal term).
 * ∇_W = A_{L−1}ᵀ (softmax(Z) − Y)/N + ..., Lip = ‖[A_{L−1}, 1]‖²_F/(2N) + 2ρ + 2ρ_d (softmax-CE Hessian ≤ ½ I).
 */
export function outputWeightBlock(aPrev: tf.Tensor2D, y: tf.Tensor2D, W0: tf.Tensor2D, b0: tf.Tensor1D, rho: number, rhoD: number, sqNorm?: tf.Scalar): ConvexBlock {
  const n = aPrev.shape[0];
  const aPrevT = tf.transpose(aPrev) as tf.Tensor2D;
  return {
    nonneg: false,
    owned: [aPrevT],
    lip: tf.tidy(() => tf.add(tf.mul(0.5 / n, sqNorm ?? tf.add(frobSq(aPrev), n)), 2 * rho + 2 * rhoD) as tf.Scalar),
    value: ([W, b]) => tf.tidy(() => tf.add(softmaxCrossEntropy(dense(aPrev, W as tf.Tensor2D, b as tf.Tensor1D), y), proxTerms(W, b, W0, b0, rho, rhoD)) as tf.Scalar),
    grad: ([W, b]) =>
      tf.tidy(() => {
        const r = tf.div(tf.sub(tf.softmax(dense(aPrev, W as tf.Tensor2D, b as tf.Tensor1D)), y), n);
        const [pW, pb] = proxGrads(W, b, W0, b0, rho, rhoD);
        return [tf.add(tf.matMul(aPrevT, r), pW), tf.add(tf.sum(r, 0), pb)];
      }),
  };
}

export function disposeBlock(b: ConvexBlock): void {
  b.lip.dispose();
  if (b.owned) tf.dispose(b.owned);
}

// ---------------------------------------------------------------------------------------------------------------
// One BCD sweep

/** Objective of one block before and after its update (both scalar tensors, read together at the end of a step). */
export interface BlockRecord {
  kind: 'activation' | 'weight';
  /** Playground layer index: A_l for activation blocks (1..L−1), (W_l, b_l) for weight blocks (1..L). */
  layer: number;
  before: tf.Scalar;
  after: tf.Scalar;
}

/**
 * Activation blocks last to first (§4 step 1, order from the authors' code). Replaces (and disposes) the entries
 * of `acts` in place; returns the per-block records.
 */
export function activationSweep(
  params: Params,
  acts: tf.Tensor2D[],
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  w: LiftedWeights,
  steps: number,
  solver: InnerSolver,
  norms: NormBound = FROBENIUS_BOUND,
): BlockRecord[] {
  const L = params.length;
  const records: BlockRecord[] = [];
  for (let l = L - 1; l >= 1; l--) {
    const prev = l === 1 ? x : acts[l - 2];
    const z = dense(prev, params[l - 1].W, params[l - 1].b);
    const sqNorm = norms.matrix(`W${l + 1}`, params[l].W);
    const block =
      l === L - 1
        ? lastActivationBlock(z, params[L - 1].W, params[L - 1].b, y, w.lambdas[l - 1], w.c, sqNorm)
        : hiddenActivationBlock(z, params[l].W, params[l].b, acts[l], w.lambdas[l - 1], w.lambdas[l], w.c, sqNorm);
    const res = solveBlock(block, [acts[l - 1]], steps, solver);
    disposeBlock(block);
    sqNorm.dispose();
    z.dispose();
    acts[l - 1].dispose();
    acts[l - 1] = res.x[0] as tf.Tensor2D;
    records.push({ kind: 'activation', layer: l, before: res.before, after: res.after });
  }
  return records;
}

/** Weight blocks first to last (§4 step 2). Replaces (and disposes) the layers of `params` in place. */
export function weightSweep(
  params: Params,
  acts: tf.Tensor2D[],
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  w: LiftedWeights,
  steps: number,
  solver: InnerSolver,
  norms: NormBound = FROBENIUS_BOUND,
): BlockRecord[] {
  const L = params.length;
  const records: BlockRecord[] = [];
  for (let l = 1; l <= L; l++) {
    const prev = l === 1 ? x : acts[l - 2];
    const { W, b } = params[l - 1];
    const sqNorm = norms.augmented(`A${l - 1}`, prev);
    const block =
      l < L ? hiddenWeightBlock(prev, acts[l - 1], W, b, w.lambdas[l - 1], w.rho, w.rhoD, sqNorm) : outputWeightBlock(prev, y, W, b, w.rho, w.rhoDOut, sqNorm);
    const res = solveBlock(block, [W, b], steps, solver);
    disposeBlock(block);
    sqNorm.dispose();
    W.dispose();
    b.dispose();
    params[l - 1] = { W: res.x[0] as tf.Tensor2D, b: res.x[1] as tf.Tensor1D };
    records.push({ kind: 'weight', layer: l, before: res.before, after: res.after });
  }
  return records;
}

/**
 * The lifted activations of the training points for one hidden unit (for drawing on a 2-D toy): the lifted value
 * A_l[:, unit], the ReLU of its lifted pre-activation ReLU(Z_l)[:, unit] (Z_l from the lifted A_{l−1}; the two agree
 * where B vanishes), and the ordinary forward-pass activation of the same unit. A synchronous read.
 */
export function unitActivations(
  params: Params,
  acts: tf.Tensor2D[],
  x: tf.Tensor2D,
  layer: number,
  unit: number,
): { lifted: Float32Array; reluOfLifted: Float32Array; forward: Float32Array } {
  if (layer < 1 || layer > acts.length) throw new Error(`hidden layer ${layer} is not in 1..${acts.length}`);
  const width = acts[layer - 1].shape[1];
  if (unit < 0 || unit >= width) throw new Error(`unit ${unit} is not in 0..${width - 1}`);
  const cols = tf.tidy(() => {
    const col = (t: tf.Tensor2D) => tf.reshape(tf.slice(t, [0, unit], [-1, 1]), [-1]);
    const prev = layer === 1 ? x : acts[layer - 2];
    const z = dense(prev, params[layer - 1].W, params[layer - 1].b);
    const fwd = forwardActivations(params.slice(0, layer + 1), x)[layer - 1];
    return [col(acts[layer - 1]), col(tf.relu(z)), col(fwd)];
  });
  const [lifted, reluOfLifted, forward] = cols.map((c) => c.dataSync() as Float32Array);
  tf.dispose(cols);
  return { lifted, reluOfLifted, forward };
}
