import * as tf from '@tensorflow/tfjs';
import { adamInit, adamUpdate, sgdMomentumUpdate, zerosLikeParams, type AdamState, type MomentumState } from './optimizers';
import { disposeParams } from './params';
import type { Params } from './types';

/**
 * A first-order update as a chain of pieces, in the spirit of optax's chained gradient transformations: zero or more
 * direction transforms (clipping, Nesterov's look-ahead) rewrite the direction in turn, then one step rule (heavy
 * ball, Adam) moves the parameters with the step size its schedule gives for this step. A method builds its chain in
 * its `parse`; firstOrder.ts runs any chain, so a new piece plugs in without a switch in the engine.
 *
 * Unlike optax, the last piece also applies the update to the parameters: on the host backends heavy ball and Adam
 * run as one fused kernel per tensor (hostKernels.ts) that computes in float64 and rounds θ once; an "update" tensor
 * followed by a separate θ − u would round twice and change every method's numbers.
 *
 * Ownership: pieces never dispose their inputs; the chain disposes the directions its transforms made and the
 * states they replaced (never `dir`, never the parameters it was given: the caller owns those).
 */

/** A piece that rewrites the direction before the step (optax: a transformation that is not the last). */
export interface DirectionTransform<S = unknown> {
  init(params: Params): S;
  /** The new direction (new tensors, or `dir` itself when unchanged) and the new state. */
  apply(dir: Params, state: S): { dir: Params; state: S };
  dispose(state: S): void;
}

/** The last piece: new parameters from the direction, with step size `lr`. */
export interface StepRule<S = unknown> {
  init(params: Params): S;
  step(params: Params, dir: Params, state: S, lr: number): { params: Params; state: S };
  dispose(state: S): void;
}

/** The step size of step k (0-based: the run's iteration count before the step). */
export type Schedule = (k: number) => number;

export interface UpdateChain {
  transforms: readonly DirectionTransform[];
  rule: StepRule;
  lr: Schedule;
}

/** The state of a chain on one run: one entry per transform, and the rule's. */
export interface ChainState {
  transforms: unknown[];
  rule: unknown;
}

/** A chain: `rule` last, at step size `lr` (a number: constant), after `transforms` in order. */
export function chain(rule: StepRule, lr: number | Schedule, ...transforms: DirectionTransform[]): UpdateChain {
  return { transforms, rule, lr: typeof lr === 'number' ? constantSchedule(lr) : lr };
}

export function initChain(c: UpdateChain, params: Params): ChainState {
  return { transforms: c.transforms.map((t) => t.init(params)), rule: c.rule.init(params) };
}

export function disposeChain(c: UpdateChain, s: ChainState): void {
  c.transforms.forEach((t, i) => t.dispose(s.transforms[i]));
  c.rule.dispose(s.rule);
}

/**
 * One update of step `k`: the new parameters (the caller disposes the old ones). `s` is updated in place; `lr`
 * overrides the schedule (a method that reports or chooses each step's size itself).
 */
export function applyChain(c: UpdateChain, s: ChainState, params: Params, dir: Params, k: number, lr = c.lr(k)): Params {
  let d = dir;
  c.transforms.forEach((t, i) => {
    const out = t.apply(d, s.transforms[i]);
    if (out.state !== s.transforms[i]) t.dispose(s.transforms[i]);
    if (d !== dir && out.dir !== d) disposeParams(d);
    d = out.dir;
    s.transforms[i] = out.state;
  });
  const out = c.rule.step(params, d, s.rule, lr);
  if (d !== dir) disposeParams(d);
  if (out.state !== s.rule) c.rule.dispose(s.rule);
  s.rule = out.state;
  return out.params;
}

// ---- Step rules ----

/** Heavy ball: v ← μ v + d; θ ← θ − γ v (μ = 0: the plain step θ ← θ − γ d). */
export function heavyBall(momentum: number): StepRule<MomentumState> {
  return {
    init: (params) => ({ velocity: zerosLikeParams(params) }),
    step: (params, dir, state, lr) => sgdMomentumUpdate(params, dir, state, lr, momentum),
    dispose: (state) => disposeParams(state.velocity),
  };
}

/** Adam (Kingma & Ba), bias correction folded into the step size (optimizers.ts adamUpdate). */
export function adam(h: { beta1: number; beta2: number; eps: number }): StepRule<AdamState> {
  return {
    init: adamInit,
    step: (params, dir, state, lr) => adamUpdate(params, dir, state, { lr, ...h }),
    dispose: (state) => {
      disposeParams(state.m);
      disposeParams(state.v);
    },
  };
}

// ---- Direction transforms ----

/**
 * Nesterov momentum as PyTorch's SGD(nesterov=True) and optax's trace(nesterov=True) write it: b ← μ b + d, then the
 * direction d + μ b. Followed by heavyBall(0) it is Nesterov's accelerated gradient with a constant step.
 */
export function nesterov(momentum: number): DirectionTransform<MomentumState> {
  if (!(momentum >= 0 && momentum < 1)) throw new Error(`Nesterov momentum must be in [0, 1), got ${momentum}`);
  return {
    init: (params) => ({ velocity: zerosLikeParams(params) }),
    apply: (dir, state) =>
      tf.tidy(() => {
        const velocity: Params = dir.map((d, i) => ({ W: tf.add(tf.mul(state.velocity[i].W, momentum), d.W), b: tf.add(tf.mul(state.velocity[i].b, momentum), d.b) }));
        const ahead: Params = dir.map((d, i) => ({ W: tf.add(d.W, tf.mul(velocity[i].W, momentum)), b: tf.add(d.b, tf.mul(velocity[i].b, momentum)) }));
        return { dir: ahead, state: { velocity } };
      }),
    dispose: (state) => disposeParams(state.velocity),
  };
}

/**
 * Clipping by global norm (optax clip_by_global_norm, PyTorch clip_grad_norm_): d ← d · min(1, c/‖d‖), ‖·‖ over all
 * tensors together, so the direction keeps its orientation. The factor stays a tensor (no read back to the host).
 */
export function clipByGlobalNorm(maxNorm: number): DirectionTransform<null> {
  if (!(maxNorm > 0)) throw new Error(`the clipping norm must be > 0, got ${maxNorm}`);
  return {
    init: () => null,
    apply: (dir, state) => ({
      dir: tf.tidy(() => {
        const norm = tf.sqrt(tf.addN(dir.flatMap((d) => [tf.sum(tf.square(d.W)), tf.sum(tf.square(d.b))])));
        const factor = tf.minimum(1, tf.div(maxNorm, norm));
        return dir.map((d) => ({ W: tf.mul(d.W, factor), b: tf.mul(d.b, factor) }));
      }),
      state,
    }),
    dispose: () => {},
  };
}

// ---- Schedules ----

export function constantSchedule(lr: number): Schedule {
  return () => lr;
}

/** γ_k = γ_0 / (1 + k/k_0): the decreasing step of monotone VI (algorithms.md §1 "Update rule"). */
export function inverseTimeSchedule(lr0: number, k0: number): Schedule {
  if (!(k0 > 0)) throw new Error(`the schedule's k0 must be > 0, got ${k0}`);
  return (k) => lr0 / (1 + k / k0);
}
