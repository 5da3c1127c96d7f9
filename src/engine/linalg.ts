import * as tf from '@tensorflow/tfjs';

/**
 * Small dense linear algebra on TF.js tensors for methods that solve ridge systems exactly (the lifted
 * methods' weight blocks, algorithms.md §3 and §4):
 *
 *   - Cholesky factorisation and solve of an SPD system A X = B (n up to ~1000). TF.js has no
 *     linalg.cholesky, and a column-by-column tensor loop would issue O(n) tiny kernels, so the factor is
 *     computed and held on the host in float64: one n×n read, O(n³/3) flops in JS, exact to float64.
 *     The solve returns a float32 tensor, so it matches a float64 reference to the float32 rounding of the
 *     result (~6e-8 relative) plus κ(A)·1e-16 — the tests ask for 1e-6 relative.
 *   - Conjugate gradients for many right-hand sides at once (one CG per column, vectorised), on device in
 *     float32, for systems too wide to factor or given only as an operator X ↦ A X. Float32 tolerance: the
 *     attainable relative error is about κ(A)·u₃₂ with u₃₂ ≈ 6e-8 (so ~1e-5 for κ ≈ 100); the relative
 *     residual ‖B − A X‖/‖B‖ stalls around 1e-6..1e-5. Ask for tol no smaller than ~1e-6.
 *   - ridgeSolve: argmin_W ‖X W − Y‖² + λ‖W‖², i.e. (XᵀX + λI) W = XᵀY, by either of the above.
 *
 * Ownership: no function disposes its inputs; every returned tensor is new and owned by the caller.
 */

/** A Cholesky factor A = L Lᵀ kept on the host: L is lower triangular, row-major, n × n, float64. */
export interface CholeskyFactor {
  n: number;
  l: Float64Array;
}

export class NotPositiveDefiniteError extends Error {
  constructor(pivot: number, value: number) {
    super(`matrix is not positive definite (pivot ${pivot} is ${value})`);
  }
}

/** Factor an SPD matrix given as row-major float64 values (only the lower triangle is read). */
export function choleskyFactorArray(a: ArrayLike<number>, n: number): CholeskyFactor {
  if (a.length !== n * n) throw new Error(`expected ${n * n} entries, got ${a.length}`);
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j];
    for (let k = 0; k < j; k++) d -= l[rj + k] * l[rj + k];
    if (!(d > 0)) throw new NotPositiveDefiniteError(j, d);
    const ljj = Math.sqrt(d);
    l[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= l[ri + k] * l[rj + k];
      l[ri + j] = s / ljj;
    }
  }
  return { n, l };
}

/** Factor an SPD tensor (n × n). One synchronous read of A. */
export function choleskyFactor(a: tf.Tensor2D): CholeskyFactor {
  const [n, m] = a.shape;
  if (n !== m) throw new Error(`cholesky needs a square matrix, got ${n}×${m}`);
  return choleskyFactorArray(a.dataSync(), n);
}

/** Solve L Lᵀ X = B in place on a row-major n × k float64 array. */
export function choleskySolveArray(f: CholeskyFactor, b: Float64Array, k: number): Float64Array {
  const { n, l } = f;
  if (b.length !== n * k) throw new Error(`right-hand side has ${b.length} entries, expected ${n}×${k}`);
  // forward substitution L Y = B, row by row so that each inner loop runs over k contiguous entries
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const bi = i * k;
    for (let p = 0; p < i; p++) {
      const lip = l[ri + p];
      if (lip === 0) continue;
      const bp = p * k;
      for (let c = 0; c < k; c++) b[bi + c] -= lip * b[bp + c];
    }
    const inv = 1 / l[ri + i];
    for (let c = 0; c < k; c++) b[bi + c] *= inv;
  }
  // back substitution Lᵀ X = Y
  for (let i = n - 1; i >= 0; i--) {
    const bi = i * k;
    for (let p = i + 1; p < n; p++) {
      const lpi = l[p * n + i];
      if (lpi === 0) continue;
      const bp = p * k;
      for (let c = 0; c < k; c++) b[bi + c] -= lpi * b[bp + c];
    }
    const inv = 1 / l[i * n + i];
    for (let c = 0; c < k; c++) b[bi + c] *= inv;
  }
  return b;
}

/** X with A X = B for the factored A; B is n × k (or a length-n vector, returned as n × 1). */
export function choleskySolve(f: CholeskyFactor, b: tf.Tensor2D | tf.Tensor1D): tf.Tensor2D {
  const k = b.rank === 1 ? 1 : (b.shape[1] as number);
  if (b.shape[0] !== f.n) throw new Error(`right-hand side has ${b.shape[0]} rows, factor is ${f.n}×${f.n}`);
  const x = choleskySolveArray(f, Float64Array.from(b.dataSync()), k);
  return tf.tensor2d(Float32Array.from(x), [f.n, k]);
}

/** The factor L as a float32 tensor (for display or device-side use). */
export function choleskyLower(f: CholeskyFactor): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(f.l), [f.n, f.n]);
}

export interface CgOptions {
  /** Starting point (n × k); zeros when absent. Not disposed. */
  x0?: tf.Tensor2D;
  maxIter?: number;
  /** Stop when every column's relative residual ‖b − A x‖/‖b‖ is below this (float32: ≥ ~1e-6). */
  tol?: number;
  /** Check convergence (one synchronous read) every this many iterations. */
  checkEvery?: number;
}

export interface CgResult {
  x: tf.Tensor2D;
  iterations: number;
  /** Largest relative residual over the columns, from the recursively updated residual. */
  relResidual: number;
}

/**
 * Conjugate gradients for A X = B with A SPD, given as the operator X ↦ A X on n × k blocks; each column
 * runs its own CG (its own α, β), all in one set of tensor ops. `apply` must not dispose its argument.
 */
export function cgSolve(apply: (x: tf.Tensor2D) => tf.Tensor2D, b: tf.Tensor2D, opts: CgOptions = {}): CgResult {
  const n = b.shape[0];
  const maxIter = opts.maxIter ?? Math.max(10, 2 * n);
  const tol = opts.tol ?? 1e-6;
  const checkEvery = opts.checkEvery ?? 5;
  const tiny = 1e-30;
  let x: tf.Tensor2D;
  let r: tf.Tensor2D;
  if (opts.x0) {
    x = opts.x0.clone();
    r = tf.tidy(() => tf.sub(b, apply(x)) as tf.Tensor2D);
  } else {
    x = tf.zerosLike(b);
    r = b.clone();
  }
  const bNorm2 = tf.tidy(() => tf.maximum(tf.sum(tf.square(b), 0), tiny)); // per column
  let p = r.clone();
  let rr = tf.tidy(() => tf.sum(tf.square(r), 0)); // per column ‖r‖²
  let it = 0;
  let rel = readMaxRel(rr, bNorm2);
  while (it < maxIter && rel > tol) {
    const [x1, r1, p1, rr1] = tf.tidy(() => {
      const ap = apply(p);
      const pap = tf.maximum(tf.sum(tf.mul(p, ap), 0), tiny);
      const alpha = tf.div(rr, pap);
      const xn = tf.add(x, tf.mul(alpha, p)) as tf.Tensor2D;
      const rn = tf.sub(r, tf.mul(alpha, ap)) as tf.Tensor2D;
      const rrn = tf.sum(tf.square(rn), 0);
      const beta = tf.div(rrn, tf.maximum(rr, tiny));
      const pn = tf.add(rn, tf.mul(beta, p)) as tf.Tensor2D;
      return [xn, rn, pn, rrn];
    });
    tf.dispose([x, r, p, rr]);
    x = x1 as tf.Tensor2D;
    r = r1 as tf.Tensor2D;
    p = p1 as tf.Tensor2D;
    rr = rr1;
    it++;
    if (it % checkEvery === 0 || it === maxIter) rel = readMaxRel(rr, bNorm2);
  }
  tf.dispose([r, p, rr, bNorm2]);
  return { x, iterations: it, relResidual: rel };
}

function readMaxRel(rr: tf.Tensor, bNorm2: tf.Tensor): number {
  const m = tf.tidy(() => tf.sqrt(tf.max(tf.div(rr, bNorm2))));
  const v = m.dataSync()[0];
  m.dispose();
  return v;
}

/** XᵀX + λI (d × d) for X of shape m × d. */
export function gramPlusRidge(x: tf.Tensor2D, lambda: number): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.matMul(x, x, true, false), tf.mul(lambda, tf.eye(x.shape[1]))) as tf.Tensor2D);
}

export type SpdMethod = 'auto' | 'cholesky' | 'cg';

export interface SolveOptions extends CgOptions {
  method?: SpdMethod;
  /** 'auto' factors up to this width and runs CG beyond (algorithms.md §3: "Cholesky for widths up to a few hundred"). */
  choleskyMaxN?: number;
}

export const DEFAULT_CHOLESKY_MAX_N = 1024;

/** X with A X = B, A SPD n × n, B n × k. */
export function solveSpd(a: tf.Tensor2D, b: tf.Tensor2D, opts: SolveOptions = {}): tf.Tensor2D {
  const n = a.shape[0];
  const method = opts.method ?? 'auto';
  if (method === 'cholesky' || (method === 'auto' && n <= (opts.choleskyMaxN ?? DEFAULT_CHOLESKY_MAX_N))) {
    return choleskySolve(choleskyFactor(a), b);
  }
  const res = cgSolve((v) => tf.matMul(a, v), b, opts);
  return res.x;
}

/**
 * Ridge regression W = argmin ‖X W − Y‖² + λ‖W‖² (λ > 0), X m × d, Y m × k: (XᵀX + λI) W = XᵀY.
 * With a `factor` of XᵀX + λI from an earlier call (same X and λ), only the triangular solves run.
 */
export function ridgeSolve(x: tf.Tensor2D, y: tf.Tensor2D, lambda: number, opts: SolveOptions & { factor?: CholeskyFactor } = {}): tf.Tensor2D {
  const rhs = tf.matMul(x, y, true, false) as tf.Tensor2D;
  try {
    if (opts.factor) return choleskySolve(opts.factor, rhs);
    const g = gramPlusRidge(x, lambda);
    try {
      return solveSpd(g, rhs, opts);
    } finally {
      g.dispose();
    }
  } finally {
    rhs.dispose();
  }
}
