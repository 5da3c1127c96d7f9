import * as tf from '@tensorflow/tfjs';
import { fusable, fusedAdam, fusedMomentum, hostKernelsActive } from './hostKernels';
import type { Params } from './types';
import { adamStepSize as adamStepSizeOf } from './updateRules';

/**
 * Update rules as pure functions over tensors, in the spirit of optax: each takes the parameters, a
 * *direction* (the gradient, or the monotone field of algorithms.md §1 — the rule does not care) and its own
 * state, and returns new parameters and new state. Inputs are not disposed; callers own both generations.
 */

export type MomentumState = {
  velocity: Params;
};

export function zerosLikeParams(p: Params): Params {
  return p.map((l) => ({ W: tf.zerosLike(l.W), b: tf.zerosLike(l.b) }));
}

/**
 * Heavy-ball SGD: v ← μ v + d; θ ← θ − γ v (μ = 0 gives the plain step θ ← θ − γ d). On the CPU and WASM backends
 * one fused kernel per tensor (hostKernels.ts); elsewhere the op formulation below.
 */
export function sgdMomentumUpdate(params: Params, dir: Params, state: MomentumState, lr: number, momentum: number) {
  if (hostKernelsActive() && fusable([params, dir, state.velocity])) {
    // No intermediates: each kernel call returns the new tensors directly (no tidy needed).
    {
      const next: Params = [];
      const velocity: Params = [];
      for (let i = 0; i < params.length; i++) {
        const w = fusedMomentum(params[i].W, dir[i].W, state.velocity[i].W, lr, momentum);
        const b = fusedMomentum(params[i].b, dir[i].b, state.velocity[i].b, lr, momentum);
        next.push({ W: w[0] as tf.Tensor2D, b: b[0] as tf.Tensor1D });
        velocity.push({ W: w[1] as tf.Tensor2D, b: b[1] as tf.Tensor1D });
      }
      return { params: next, state: { velocity } };
    }
  }
  return sgdMomentumUpdateOps(params, dir, state, lr, momentum);
}

/** The op formulation of sgdMomentumUpdate (GPU backends; the reference for the fused kernel's tests). */
export function sgdMomentumUpdateOps(params: Params, dir: Params, state: MomentumState, lr: number, momentum: number) {
  return tf.tidy(() => {
    const velocity: Params = dir.map((d, i) =>
      momentum > 0
        ? { W: tf.add(tf.mul(state.velocity[i].W, momentum), d.W), b: tf.add(tf.mul(state.velocity[i].b, momentum), d.b) }
        : { W: d.W.clone(), b: d.b.clone() },
    );
    const next: Params = params.map((p, i) => ({ W: tf.sub(p.W, tf.mul(velocity[i].W, lr)), b: tf.sub(p.b, tf.mul(velocity[i].b, lr)) }));
    return { params: next, state: { velocity } };
  });
}

export type AdamState = {
  m: Params;
  v: Params;
  t: number;
};

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export function adamInit(params: Params): AdamState {
  return { m: zerosLikeParams(params), v: zerosLikeParams(params), t: 0 };
}

/**
 * Adam (Kingma & Ba) with bias correction folded into the step size. On the CPU and WASM backends one fused kernel
 * per tensor (hostKernels.ts: ~10 slow WASM kernels per tensor become one loop); elsewhere the op formulation.
 */
export function adamUpdate(params: Params, dir: Params, state: AdamState, h: AdamHyper) {
  if (hostKernelsActive() && fusable([params, dir, state.m, state.v])) {
    const t = state.t + 1;
    const stepSize = adamStepSize(h, t);
    {
      const m: Params = [];
      const v: Params = [];
      const next: Params = [];
      for (let i = 0; i < params.length; i++) {
        const w = fusedAdam(params[i].W, dir[i].W, state.m[i].W, state.v[i].W, h.beta1, h.beta2, h.eps, stepSize);
        const b = fusedAdam(params[i].b, dir[i].b, state.m[i].b, state.v[i].b, h.beta1, h.beta2, h.eps, stepSize);
        next.push({ W: w[0] as tf.Tensor2D, b: b[0] as tf.Tensor1D });
        m.push({ W: w[1] as tf.Tensor2D, b: b[1] as tf.Tensor1D });
        v.push({ W: w[2] as tf.Tensor2D, b: b[2] as tf.Tensor1D });
      }
      return { params: next, state: { m, v, t } as AdamState };
    }
  }
  return adamUpdateOps(params, dir, state, h);
}

function adamStepSize(h: AdamHyper, t: number): number {
  return adamStepSizeOf(h.lr, h.beta1, h.beta2, t);
}

/** The op formulation of adamUpdate (GPU backends; the reference for the fused kernel's tests). */
export function adamUpdateOps(params: Params, dir: Params, state: AdamState, h: AdamHyper) {
  const t = state.t + 1;
  const stepSize = adamStepSize(h, t);
  return tf.tidy(() => {
    const m: Params = [];
    const v: Params = [];
    const next: Params = [];
    const upd = (p: tf.Tensor, d: tf.Tensor, m0: tf.Tensor, v0: tf.Tensor) => {
      const m1 = tf.add(tf.mul(m0, h.beta1), tf.mul(d, 1 - h.beta1));
      const v1 = tf.add(tf.mul(v0, h.beta2), tf.mul(tf.square(d), 1 - h.beta2));
      const p1 = tf.sub(p, tf.mul(tf.div(m1, tf.add(tf.sqrt(v1), h.eps)), stepSize));
      return [p1, m1, v1];
    };
    for (let i = 0; i < params.length; i++) {
      const [wp, wm, wv] = upd(params[i].W, dir[i].W, state.m[i].W, state.v[i].W);
      const [bp, bm, bv] = upd(params[i].b, dir[i].b, state.m[i].b, state.v[i].b);
      next.push({ W: wp as tf.Tensor2D, b: bp as tf.Tensor1D });
      m.push({ W: wm as tf.Tensor2D, b: bm as tf.Tensor1D });
      v.push({ W: wv as tf.Tensor2D, b: bv as tf.Tensor1D });
    }
    return { params: next, state: { m, v, t } as AdamState };
  });
}
