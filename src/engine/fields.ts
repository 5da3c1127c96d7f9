import * as tf from '@tensorflow/tfjs';
import { applyLink, forwardAll, lossAndGrad, weightGradFromSignal } from './model';
import { disposeParams } from './params';
import type { Layer, NetworkSpec, OutputLink, Params } from './types';

/**
 * The monotone vector fields of algorithms.md §1, one pure function each, next to the gradient of model.ts.
 * None of them dispose their inputs; each returns freshly allocated tensors the caller owns.
 */

/** Which layers a VI run trains (algorithms.md §1 "Scopes"). */
export type ViScope = 'single' | 'last' | 'full';

/** max_z φ′(z) of each monotone link: sigmoid ¼, identity 1, softmax ½ (largest eigenvalue of diag(p) − ppᵀ). */
export function maxLinkSlope(link: OutputLink): number {
  return link === 'sigmoid' ? 0.25 : link === 'softmax' ? 0.5 : 1;
}

/**
 * GLM field (§1 "Idea", scope 1): F(W, b) = (1/N) [X;1]ᵀ (φ(X W + b) − Y). Independent of the training loss:
 * it is the gradient of the convex potential whose derivative is φ, not of the squared error.
 */
export function glmField(layer: Layer, x: tf.Tensor2D, y: tf.Tensor2D, link: OutputLink): Layer {
  return tf.tidy(() => {
    const z = tf.fused.matMul({ a: x, b: layer.W, bias: layer.b }) as tf.Tensor2D;
    const r = tf.div(tf.sub(applyLink(z, link), y), x.shape[0]) as tf.Tensor2D;
    return { W: tf.matMul(x, r, true, false) as tf.Tensor2D, b: tf.sum(r, 0) as tf.Tensor1D };
  });
}

/** Features H = X_{L−1} of the (frozen) bottom of the network; for a one-layer model H is the input itself (a clone). */
export function penultimateFeatures(params: Params, net: NetworkSpec, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const outs = forwardAll(params.slice(0, params.length - 1), net, x);
    const h = outs[outs.length - 1];
    return h === x ? x.clone() : h;
  });
}

/**
 * Last-layer field with a frozen bottom (§1 scope 2): the GLM field of the output layer on the features
 * H = X_{L−1}(x): (1/N) [H;1]ᵀ (φ(H W_L + b_L) − Y).
 */
export function lastLayerField(params: Params, net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D): Layer {
  const h = penultimateFeatures(params, net, x);
  const f = glmField(params[params.length - 1], h, y, net.outputLink);
  h.dispose();
  return f;
}

export interface FieldOptions {
  /** Layers with index < trainFrom get a zero field and a zero gradient (frozen). */
  trainFrom: number;
  /** Which layers follow the field: 'full' all trained layers; 'single'/'last' only the output layer. */
  scope: ViScope;
  /** §1 scope 3: the authors' older implementation divides each hidden layer's field by the batch size. */
  hiddenDivBatch?: boolean;
}

export interface FieldAndGradient {
  loss: tf.Scalar;
  field: Params;
  grads: Params;
}

/**
 * Field and gradient from one forward/backward pass (§1 scope 3, sourced from the authors' code):
 * F_{W_l} = X_{l−1}ᵀ G_l, F_{b_l} = Σ_rows G_l, with G_l = ∂L/∂X_l the upstream signal of back-propagation,
 * i.e. the layer's own σ_l′ is dropped while G_l keeps every later layer's σ′ and weights. At the output
 * layer G_L = (φ(Z_L) − Y)/N for either loss (outputSignals in model.ts), so there F is the GLM field on H.
 * With scope 'single' or 'last' only the output layer is trained; its field is computed the same way.
 * A convolution layer's field is the same product taken over its input patches (model.ts weightGradFromSignal), with
 * G_l the signal at its activation before pooling. With weight decay λ the field is F + λW: the gradient of the convex
 * penalty is monotone, so the sum stays monotone where F is, and the field's zero is the regularised problem's.
 */
export function fieldAndGradient(params: Params, net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D, opts: FieldOptions): FieldAndGradient {
  const L = params.length;
  const trainFrom = opts.scope === 'full' ? opts.trainFrom : Math.max(opts.trainFrom, L - 1);
  const lg = lossAndGrad(params, net, x, y, { keepUpstream: true, frozenBelow: trainFrom });
  const up = lg.upstream!;
  const acts = lg.activations!;
  const batch = x.shape[0];
  const field: Params = tf.tidy(() =>
    params.map((p, l) => {
      if (l < trainFrom) return { W: tf.zerosLike(p.W), b: tf.zerosLike(p.b) };
      let g = up[l];
      if (opts.hiddenDivBatch && l < L - 1) g = tf.div(g, batch) as tf.Tensor2D;
      const f = weightGradFromSignal(net, l, acts[l], g);
      const lambda = net.weightDecay ?? 0;
      return lambda > 0 ? { W: tf.add(f.W, tf.mul(lambda, p.W)) as tf.Tensor2D, b: f.b } : f;
    }),
  );
  tf.dispose(up);
  for (let l = 1; l < acts.length; l++) acts[l].dispose(); // acts[0] is the caller's x
  return { loss: lg.loss, field, grads: lg.grads };
}

/** The whole-network field alone (§1 scope 3), for callers that do not need the gradient. */
export function fullNetworkField(params: Params, net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D, hiddenDivBatch = false): Params {
  const r = fieldAndGradient(params, net, x, y, { trainFrom: 0, scope: 'full', hiddenDivBatch });
  r.loss.dispose();
  disposeParams(r.grads);
  return r.field;
}
