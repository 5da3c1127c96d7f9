/**
 * The update rules' arithmetic, once, on plain arrays: the host-backend kernels (hostKernels.ts, float32 views of
 * tensor memory) and the landscape lab (float64 2-vectors) both call these loops, so SGD-momentum and Adam are
 * written once in JS. The GPU backends run the same formulas as tensor ops (optimizers.ts), which the tests compare
 * with these. Outputs may alias inputs (each element is read before it is written). No TF.js here.
 */

type Vec = Float32Array | Float64Array;

/** Adam's bias correction folded into the step: γ·√(1 − β2ᵗ)/(1 − β1ᵗ) at step t (1-based). */
export function adamStepSize(lr: number, beta1: number, beta2: number, t: number): number {
  return (lr * Math.sqrt(1 - Math.pow(beta2, t))) / (1 - Math.pow(beta1, t));
}

/** m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²; θ ← θ − stepSize · m/(√v + ε), element by element. */
export function adamArrays(P: Vec, G: Vec, M: Vec, V: Vec, P1: Vec, M1: Vec, V1: Vec, beta1: number, beta2: number, eps: number, stepSize: number): void {
  const c1 = 1 - beta1, c2 = 1 - beta2;
  for (let i = 0; i < P.length; i++) {
    const gi = G[i];
    const mi = M[i] * beta1 + gi * c1;
    const vi = V[i] * beta2 + gi * gi * c2;
    M1[i] = mi;
    V1[i] = vi;
    P1[i] = P[i] - (mi / (Math.sqrt(vi) + eps)) * stepSize;
  }
}

/** Heavy ball: v ← μ v + d (v ← d when μ = 0); θ ← θ − γ v, element by element. */
export function momentumArrays(P: Vec, D: Vec, Vel: Vec, P1: Vec, V1: Vec, lr: number, momentum: number): void {
  for (let i = 0; i < P.length; i++) {
    const vi = momentum > 0 ? Vel[i] * momentum + D[i] : D[i];
    V1[i] = vi;
    P1[i] = P[i] - vi * lr;
  }
}
