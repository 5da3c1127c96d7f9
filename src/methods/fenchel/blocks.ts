import * as tf from '@tensorflow/tfjs';
import { softmaxCrossEntropy, stageInputAdjoint, stagePool, stagePoolAdjoint, stagePreActivation, stagesOf, weightGradFromSignal } from '../../engine/model';
import type { ConvStage } from '../../engine/layers';
import type { Layer, NetworkSpec, Params } from '../../engine/types';

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

/**
 * How the blocks see the network's layers (algorithms.md §6, "Fenchel lifted networks"): layer l (1-based) computes
 * Z_l = 𝒜_l(W_l)(X_{l−1}) + b_l, a dense product or a convolution; its lifted activation A_l is the one *before*
 * pooling, and the next layer reads X_l = P_l(A_l) (P_l: the layer's average pooling, or the identity). Every block
 * stays convex because P_l is linear; max pooling is refused (fenchel.ts). A network without convolutions uses
 * DENSE_LAYERS, exactly the dense products the blocks always computed.
 */
export interface LiftedLayers {
  /** Z_l for layer l = 1..L. */
  pre(l: number, x: tf.Tensor2D, layer: Layer): tf.Tensor2D;
  /** X_l = P_l(A_l); returns `a` itself where there is no pooling (the caller then must not dispose it twice). */
  pool(l: number, a: tf.Tensor2D): tf.Tensor2D;
  /** The convolution of layer l, or null for a dense layer. */
  conv(l: number): ConvStage | null;
  /** True when layer l's lifted activation reaches the next layer unchanged (a dense layer). */
  plain(l: number): boolean;
  /** 𝒜_l(W)ᵀ r: back to the layer's input. */
  inputAdjoint(l: number, layer: Layer, r: tf.Tensor2D): tf.Tensor2D;
  /** P_lᵀ g: back from the pooled output to the lifted activation. */
  poolAdjoint(l: number, g: tf.Tensor2D): tf.Tensor2D;
  /** ∂/∂(W, b) ⟨r, 𝒜_l(W)(X) + b⟩. */
  weightAdjoint(l: number, x: tf.Tensor2D, r: tf.Tensor2D): Layer;
}

export const DENSE_LAYERS: LiftedLayers = {
  pre: (_l, x, layer) => dense(x, layer.W, layer.b),
  pool: (_l, a) => a,
  conv: () => null,
  plain: () => true,
  inputAdjoint: (_l, layer, r) => tf.matMul(r, layer.W, false, true) as tf.Tensor2D,
  poolAdjoint: (_l, g) => g,
  weightAdjoint: (_l, x, r) => tf.tidy(() => ({ W: tf.matMul(x, r, true, false) as tf.Tensor2D, b: tf.sum(r, 0) as tf.Tensor1D })),
};

/** The layers of `net` as the blocks see them (model.ts's ops, with the playground's 0-based stage index l − 1). */
export function liftedLayers(net: NetworkSpec): LiftedLayers {
  const stages = stagesOf(net);
  if (!stages.some((st) => st.kind === 'conv')) return DENSE_LAYERS;
  const conv = (l: number) => {
    const st = stages[l - 1];
    return st.kind === 'conv' ? st : null;
  };
  return {
    pre: (l, x, layer) => stagePreActivation(net, l - 1, x, layer),
    pool: (l, a) => stagePool(net, l - 1, a),
    conv,
    plain: (l) => conv(l) === null || conv(l)!.pools.length === 0,
    inputAdjoint: (l, layer, r) => stageInputAdjoint(net, l - 1, layer, r),
    poolAdjoint: (l, g) => stagePoolAdjoint(net, l - 1, g),
    weightAdjoint: (l, x, r) => weightGradFromSignal(net, l - 1, x, r),
  };
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
export function liftedTerms(params: Params, acts: tf.Tensor2D[], x: tf.Tensor2D, y: tf.Tensor2D, w: LiftedWeights, layers: LiftedLayers = DENSE_LAYERS): LiftedTerms {
  const L = params.length;
  return tf.tidy(() => {
    const n = x.shape[0];
    const penalty: tf.Scalar[] = [];
    const meanB: tf.Scalar[] = [];
    const mismatch: tf.Scalar[] = [];
    let prev = x;
    for (let l = 1; l < L; l++) {
      const z = layers.pre(l, prev, params[l - 1]);
      const a = acts[l - 1];
      const s = tf.sum(biconvexB(z, a)) as tf.Scalar;
      penalty.push(tf.div(s, n) as tf.Scalar);
      meanB.push(tf.div(s, n * a.shape[1]) as tf.Scalar);
      mismatch.push(tf.sqrt(tf.div(frobSq(tf.sub(a, tf.relu(z))), n * a.shape[1])) as tf.Scalar);
      prev = layers.pool(l, a);
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
export function forwardActivations(params: Params, x: tf.Tensor2D, layers: LiftedLayers = DENSE_LAYERS): tf.Tensor2D[] {
  return tf.tidy(() => {
    const out: tf.Tensor2D[] = [];
    let prev = x;
    for (let l = 1; l < params.length; l++) {
      const a = tf.relu(layers.pre(l, prev, params[l - 1]));
      out.push(a);
      prev = layers.pool(l, a);
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
  /**
   * A bound on ‖M‖₂² for a linear map M given by its Gram product v ↦ MᵀM v on vectors of length `dim` (a convolution
   * and its pooling, per sample or over the batch), and a cheap valid upper bound `frobenius` of the same quantity.
   */
  operator(key: string, dim: number, gram: (v: tf.Tensor1D) => tf.Tensor1D, frobenius: () => tf.Scalar): tf.Scalar;
  dispose(): void;
}

export const LIPSCHITZ_BOUNDS = ['spectral', 'frobenius'] as const;
export type LipschitzBound = (typeof LIPSCHITZ_BOUNDS)[number];

export const FROBENIUS_BOUND: NormBound = {
  matrix: (_key, m) => frobSq(m),
  augmented: (_key, a) => tf.tidy(() => tf.add(frobSq(a), a.shape[0]) as tf.Scalar),
  operator: (_key, _dim, _gram, frobenius) => frobenius(),
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

  operator(key: string, dim: number, gram: (v: tf.Tensor1D) => tf.Tensor1D, frobenius: () => tf.Scalar): tf.Scalar {
    return this.power(key, dim, gram, frobenius);
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

/** A linear map from a lifted activation to the next layer's pre-activation (without its bias), with its adjoint. */
export interface NextLayerMap {
  /** A ↦ Z_next = 𝒜(W)(P A) + b. */
  apply(a: tf.Tensor2D): tf.Tensor2D;
  /** r ↦ Pᵀ 𝒜(W)ᵀ r. */
  adjoint(r: tf.Tensor2D): tf.Tensor2D;
}

/** The map A_l ↦ Z_{l+1} through layer l's pooling and layer l + 1 (1-based l). */
export function nextLayerMap(layers: LiftedLayers, l: number, next: Layer): NextLayerMap {
  return {
    apply: (a) => tf.tidy(() => layers.pre(l + 1, layers.pool(l, a), next)),
    adjoint: (r) => tf.tidy(() => layers.poolAdjoint(l, layers.inputAdjoint(l + 1, next, r))),
  };
}

/**
 * The activation blocks of §4 step 1 with the next layer as a map (a convolution, or a layer reading a pooled
 * activation): the same objectives and gradients as lastActivationBlock and hiddenActivationBlock with the products
 * A W and r Wᵀ replaced by the map and its adjoint; `sqNorm` bounds the map's ‖·‖₂².
 */
export function mappedLastActivationBlock(z: tf.Tensor2D, map: NextLayerMap, y: tf.Tensor2D, lambda: number, c: number, sqNorm: tf.Scalar): ConvexBlock {
  const n = z.shape[0];
  return {
    nonneg: true,
    lip: tf.tidy(() => tf.div(tf.add(tf.mul(0.5 * c, sqNorm), lambda), n) as tf.Scalar),
    value: ([a]) => tf.tidy(() => tf.add(tf.mul(c, softmaxCrossEntropy(map.apply(a as tf.Tensor2D), y)), tf.mul(lambda / n, tf.sum(biconvexB(z, a)))) as tf.Scalar),
    grad: ([a]) =>
      tf.tidy(() => {
        const p = tf.softmax(map.apply(a as tf.Tensor2D));
        return [tf.div(tf.add(tf.mul(c, map.adjoint(tf.sub(p, y) as tf.Tensor2D)), tf.mul(lambda, tf.sub(a, z))), n)];
      }),
  };
}

export function mappedHiddenActivationBlock(z: tf.Tensor2D, map: NextLayerMap, aNext: tf.Tensor2D, lambda: number, lambdaNext: number, c: number, sqNorm: tf.Scalar): ConvexBlock {
  const n = z.shape[0];
  const cl = c * lambdaNext;
  return {
    nonneg: true,
    lip: tf.tidy(() => tf.div(tf.add(tf.mul(cl, sqNorm), lambda), n) as tf.Scalar),
    value: ([a]) => tf.tidy(() => tf.div(tf.add(tf.mul(lambda, tf.sum(biconvexB(z, a))), tf.mul(cl, tf.sum(biconvexB(map.apply(a as tf.Tensor2D), aNext)))), n) as tf.Scalar),
    grad: ([a]) =>
      tf.tidy(() => {
        const r = tf.sub(tf.relu(map.apply(a as tf.Tensor2D)), aNext) as tf.Tensor2D;
        return [tf.div(tf.add(tf.mul(lambda, tf.sub(a, z)), tf.mul(cl, map.adjoint(r))), n)];
      }),
  };
}

/**
 * Weight block of a convolution layer (W_l, b_l): the hidden weight block with Z = 𝒜(W)(X) + b a convolution. The
 * gradient's product Xᵀr becomes the filter gradient of r (model.ts weightGradFromSignal); `sqNorm` bounds
 * ‖(W, b) ↦ 𝒜(W)(X) + b‖₂² over the batch.
 */
export function convWeightBlock(layers: LiftedLayers, l: number, xIn: tf.Tensor2D, aOut: tf.Tensor2D, W0: tf.Tensor2D, b0: tf.Tensor1D, lambda: number, rho: number, rhoD: number, sqNorm: tf.Scalar): ConvexBlock {
  const n = xIn.shape[0];
  const pre = (W: tf.Tensor, b: tf.Tensor) => layers.pre(l, xIn, { W: W as tf.Tensor2D, b: b as tf.Tensor1D });
  return {
    nonneg: false,
    lip: tf.tidy(() => tf.add(tf.mul(lambda / n, sqNorm), 2 * rho + 2 * rhoD) as tf.Scalar),
    value: ([W, b]) => tf.tidy(() => tf.add(tf.mul(lambda / n, tf.sum(biconvexB(pre(W, b), aOut))), proxTerms(W, b, W0, b0, rho, rhoD)) as tf.Scalar),
    grad: ([W, b]) =>
      tf.tidy(() => {
        const r = tf.mul(lambda / n, tf.sub(tf.relu(pre(W, b)), aOut)) as tf.Tensor2D;
        const g = layers.weightAdjoint(l, xIn, r);
        const [pW, pb] = proxGrads(W, b, W0, b0, rho, rhoD);
        return [tf.add(g.W, pW), tf.add(g.b, pb)];
      }),
  };
}

/** How many output positions read one input entry of a convolution, at most: ⌈kernel/stride⌉². */
function convOverlap(st: ConvStage): number {
  return Math.ceil(st.kernel / st.stride) ** 2;
}

/**
 * ‖·‖₂² of the map A_l ↦ Z_{l+1} (a per-sample map, the same for every sample): power iteration on one sample, or the
 * Frobenius-style bound ⌈k/s⌉²‖W_{l+1}‖²_F (each input entry meets at most ⌈k/s⌉² kernel positions; ‖P‖₂ ≤ 1 for
 * average pooling) — ‖W_{l+1}‖²_F for a dense next layer.
 */
function nextMapSqNorm(norms: NormBound, layers: LiftedLayers, l: number, next: Layer, dim: number): tf.Scalar {
  const st = layers.conv(l + 1);
  return norms.operator(
    `map${l}`,
    dim,
    (v) =>
      tf.tidy(() => {
        // The linear part only: the same map with a zero bias.
        const map = nextLayerMap(layers, l, { W: next.W, b: tf.zerosLike(next.b) });
        return tf.reshape(map.adjoint(map.apply(tf.reshape(v, [1, dim]))), [dim]) as tf.Tensor1D;
      }),
    () => tf.tidy(() => tf.mul(st ? convOverlap(st) : 1, frobSq(next.W)) as tf.Scalar),
  );
}

/** ‖(W, b) ↦ 𝒜_l(W)(X) + b‖₂² of a convolution layer over the batch: power iteration in weight space, or ⌈k/s⌉²‖X‖²_F + N·positions. */
function convWeightSqNorm(norms: NormBound, layers: LiftedLayers, l: number, xIn: tf.Tensor2D, like: Layer): tf.Scalar {
  const st = layers.conv(l)!;
  const nW = like.W.size;
  const dim = nW + like.b.size;
  return norms.operator(
    `conv${l}`,
    dim,
    (v) =>
      tf.tidy(() => {
        const W = tf.reshape(tf.slice(v, 0, nW), like.W.shape) as tf.Tensor2D;
        const b = tf.slice(v, nW, like.b.size) as tf.Tensor1D;
        const g = layers.weightAdjoint(l, xIn, layers.pre(l, xIn, { W, b }));
        return tf.concat([tf.reshape(g.W, [-1]), g.b]) as tf.Tensor1D;
      }),
    () => tf.tidy(() => tf.add(tf.mul(convOverlap(st), frobSq(xIn)), xIn.shape[0] * st.convH * st.convW) as tf.Scalar),
  );
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
  layers: LiftedLayers = DENSE_LAYERS,
): BlockRecord[] {
  const L = params.length;
  const records: BlockRecord[] = [];
  for (let l = L - 1; l >= 1; l--) {
    const prev = l === 1 ? x : layers.pool(l - 1, acts[l - 2]);
    const z = layers.pre(l, prev, params[l - 1]);
    if (prev !== x && prev !== acts[l - 2]) prev.dispose();
    // A dense next layer reading A_l unpooled: the blocks' own products (and the matrix norm bound, warm per matrix).
    const direct = layers.plain(l) && !layers.conv(l + 1);
    const sqNorm = direct ? norms.matrix(`W${l + 1}`, params[l].W) : nextMapSqNorm(norms, layers, l, params[l], acts[l - 1].shape[1]);
    const map = direct ? null : nextLayerMap(layers, l, params[l]);
    const block =
      l === L - 1
        ? map
          ? mappedLastActivationBlock(z, map, y, w.lambdas[l - 1], w.c, sqNorm)
          : lastActivationBlock(z, params[L - 1].W, params[L - 1].b, y, w.lambdas[l - 1], w.c, sqNorm)
        : map
          ? mappedHiddenActivationBlock(z, map, acts[l], w.lambdas[l - 1], w.lambdas[l], w.c, sqNorm)
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
  layers: LiftedLayers = DENSE_LAYERS,
): BlockRecord[] {
  const L = params.length;
  const records: BlockRecord[] = [];
  for (let l = 1; l <= L; l++) {
    const prev = l === 1 ? x : layers.pool(l - 1, acts[l - 2]);
    const { W, b } = params[l - 1];
    const conv = layers.conv(l) !== null;
    const sqNorm = conv ? convWeightSqNorm(norms, layers, l, prev, params[l - 1]) : norms.augmented(`A${l - 1}`, prev);
    const block = conv
      ? convWeightBlock(layers, l, prev, acts[l - 1], W, b, w.lambdas[l - 1], w.rho, w.rhoD, sqNorm)
      : l < L
        ? hiddenWeightBlock(prev, acts[l - 1], W, b, w.lambdas[l - 1], w.rho, w.rhoD, sqNorm)
        : outputWeightBlock(prev, y, W, b, w.rho, w.rhoDOut, sqNorm);
    const res = solveBlock(block, [W, b], steps, solver);
    disposeBlock(block);
    sqNorm.dispose();
    if (prev !== x && prev !== acts[l - 2]) prev.dispose();
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
