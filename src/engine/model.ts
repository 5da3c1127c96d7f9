import * as tf from '@tensorflow/tfjs';
import type { Activation, Layer, NetworkSpec, Params } from './types';
import { drawInitialWeights } from './init';

/**
 * The MLP with an explicit forward and backward pass. We write the backward pass by hand instead of using
 * the gradient tape because (1) it is much cheaper in TF.js (no tape bookkeeping, fused matmuls), and
 * (2) a field method (algorithms.md §1) needs the per-layer upstream signals G_l = ∂L/∂X_l that back-propagation
 * computes on the way (algorithms.md §1, "Whole network").
 */

/** Seeded initial weights as tensors (the draw itself is init.ts' drawInitialWeights); identical on every backend. */
export function initParams(net: NetworkSpec, seed: number): Params {
  return drawInitialWeights(net.sizes, net.init, seed).map((layer, i) => ({
    W: tf.tensor2d(layer.W, [net.sizes[i], net.sizes[i + 1]]),
    b: tf.tensor1d(layer.b),
  }));
}

export function activate(z: tf.Tensor2D, act: Activation): tf.Tensor2D {
  switch (act) {
    case 'relu':
      return tf.relu(z);
    case 'tanh':
      return tf.tanh(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'linear':
      return z;
  }
}

/** σ′(Z) written in terms of X = σ(Z), so the forward pass need not keep Z. */
export function activationDerivFromOutput(x: tf.Tensor2D, act: Activation): tf.Tensor2D {
  switch (act) {
    case 'relu':
      // step(x) = 1 for x > 0, else 0: the same as cast(x > 0) but one unary kernel (WASM: 0.16 ms against 1.3 ms).
      return tf.step(x, 0) as tf.Tensor2D;
    case 'tanh':
      return tf.sub(1, tf.square(x));
    case 'sigmoid':
      return tf.mul(x, tf.sub(1, x));
    case 'linear':
      return tf.onesLike(x);
  }
}

function fusedActivation(act: Activation): 'relu' | 'sigmoid' | 'linear' | undefined {
  // tf.fused.matMul supports relu and sigmoid; tanh is applied separately.
  if (act === 'relu' || act === 'sigmoid' || act === 'linear') return act;
  return undefined;
}

function denseForward(x: tf.Tensor2D, layer: Layer, act: Activation): tf.Tensor2D {
  const fa = fusedActivation(act);
  if (fa) return tf.fused.matMul({ a: x, b: layer.W, bias: layer.b, activation: fa }) as tf.Tensor2D;
  return activate(tf.fused.matMul({ a: x, b: layer.W, bias: layer.b }) as tf.Tensor2D, act);
}

/**
 * Forward pass. Returns [X_0, X_1, ..., X_{L−1}, Z_L]: every hidden post-activation and the *output
 * pre-activation* (the link is applied by the loss). X_0 is the input itself (not a copy).
 */
export function forwardAll(params: Params, net: NetworkSpec, x: tf.Tensor2D): tf.Tensor2D[] {
  const outs: tf.Tensor2D[] = [x];
  let h = x;
  for (let l = 0; l < params.length; l++) {
    const last = l === params.length - 1;
    h = denseForward(h, params[l], last ? 'linear' : net.activation);
    outs.push(h);
  }
  return outs;
}

export function applyLink(z: tf.Tensor2D, link: NetworkSpec['outputLink']): tf.Tensor2D {
  if (link === 'softmax') return tf.softmax(z);
  if (link === 'sigmoid') return tf.sigmoid(z);
  return z;
}

/** Network output φ(Z_L): class probabilities or regression values. */
export function predict(params: Params, net: NetworkSpec, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const outs = forwardAll(params, net, x);
    return applyLink(outs[outs.length - 1], net.outputLink);
  });
}

/** Mean softmax cross-entropy of logits z against targets y, via log-softmax: −Σ y (z − logsumexp(z)) / rows. */
export function softmaxCrossEntropy(z: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.div(tf.neg(tf.sum(tf.mul(y, tf.sub(z, tf.logSumExp(z, 1, true))))), z.shape[0]) as tf.Scalar);
}

/** Mean loss over the rows of a batch, given the output pre-activation Z_L. */
export function lossFromLogits(z: tf.Tensor2D, y: tf.Tensor2D, net: NetworkSpec): tf.Scalar {
  return tf.tidy(() => {
    const n = z.shape[0];
    if (net.loss === 'ce') {
      if (net.outputLink === 'softmax') return softmaxCrossEntropy(z, y);
      // binary cross-entropy per output, with a sigmoid link: softplus(z) − y z
      return tf.div(tf.sum(tf.sub(tf.softplus(z), tf.mul(y, z))), n) as tf.Scalar;
    }
    const out = applyLink(z, net.outputLink);
    return tf.div(tf.mul(0.5, tf.sum(tf.square(tf.sub(out, y)))), n) as tf.Scalar;
  });
}

/**
 * ∂L/∂(output φ(Z_L)) and ∂L/∂Z_L for the mean loss. The first is G_L in the VI notes (the field of the
 * output layer drops the link derivative); the second is what back-propagation continues with.
 */
export function outputSignals(z: tf.Tensor2D, y: tf.Tensor2D, net: NetworkSpec): { gOut: tf.Tensor2D; dZ: tf.Tensor2D } {
  return tf.tidy(() => {
    const n = z.shape[0];
    const out = applyLink(z, net.outputLink);
    const resid = tf.div(tf.sub(out, y), n) as tf.Tensor2D;
    if (net.loss === 'ce') {
      // For softmax+CE and sigmoid+BCE, ∂L/∂Z = (φ(Z) − Y)/N. The "signal w.r.t. the output" in the GLM
      // sense is the same residual (algorithms.md §1 note: with a CE output the field equals the gradient).
      return { gOut: resid, dZ: resid.clone() };
    }
    if (net.outputLink === 'identity') return { gOut: resid, dZ: resid.clone() };
    if (net.outputLink === 'sigmoid') return { gOut: resid, dZ: tf.mul(resid, tf.mul(out, tf.sub(1, out))) as tf.Tensor2D };
    // softmax Jacobian-vector product: s ⊙ (g − ⟨g, s⟩)
    const inner = tf.sum(tf.mul(resid, out), 1, true);
    return { gOut: resid, dZ: tf.mul(out, tf.sub(resid, inner)) as tf.Tensor2D };
  });
}

export interface LossAndGrad {
  loss: tf.Scalar;
  grads: Params;
  /** G_l = ∂L/∂X_l for l = 1..L (X_L meaning the network output φ(Z_L)); only when asked for. */
  upstream?: tf.Tensor2D[];
  /** Post-activations X_0..X_{L−1} (X_0 is the caller's input); only when upstream is asked for. */
  activations?: tf.Tensor2D[];
  /** Share of rows whose arg-max output matches the target's; only when asked for (classification). */
  accuracy?: tf.Scalar;
}

/**
 * Loss and gradient by explicit back-propagation. Layers with index < frozenBelow get no gradient entry
 * computed (their grads are zeros) — this is what last-layer fine-tuning freezes.
 */
export function lossAndGrad(
  params: Params,
  net: NetworkSpec,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  opts: { keepUpstream?: boolean; frozenBelow?: number; withAccuracy?: boolean } = {},
): LossAndGrad {
  const frozenBelow = opts.frozenBelow ?? 0;
  const result = tf.tidy(() => {
    const outs = forwardAll(params, net, x);
    const L = params.length;
    const zL = outs[L];
    const loss = lossFromLogits(zL, y, net);
    const { gOut, dZ } = outputSignals(zL, y, net);
    const grads: Params = new Array(L);
    const upstream: tf.Tensor2D[] = new Array(L);
    upstream[L - 1] = gOut;
    let delta = dZ;
    for (let l = L - 1; l >= 0; l--) {
      const xin = outs[l];
      if (l >= frozenBelow) {
        grads[l] = { W: tf.matMul(xin, delta, true, false), b: tf.sum(delta, 0) as tf.Tensor1D };
      } else {
        grads[l] = { W: tf.zerosLike(params[l].W), b: tf.zerosLike(params[l].b) };
      }
      if (l > 0 && (l > frozenBelow || opts.keepUpstream)) {
        const g = tf.matMul(delta, params[l].W, false, true) as tf.Tensor2D; // ∂L/∂X_l (post-activation of layer l)
        upstream[l - 1] = g;
        delta = tf.mul(g, activationDerivFromOutput(xin, net.activation)) as tf.Tensor2D;
      }
    }
    const out: tf.Tensor[] = [loss];
    for (const g of grads) out.push(g.W, g.b);
    if (opts.keepUpstream) {
      for (const u of upstream) out.push(u);
      for (let l = 1; l < L; l++) out.push(outs[l]);
    }
    // Accuracy from the same forward pass (evaluation: one pass gives loss, accuracy and gradient).
    if (opts.withAccuracy) out.push(tf.mean(tf.cast(tf.equal(tf.argMax(zL, 1), tf.argMax(y, 1)), 'float32')));
    return out;
  });
  const L = params.length;
  const loss = result[0] as tf.Scalar;
  const grads: Params = [];
  for (let l = 0; l < L; l++) grads.push({ W: result[1 + 2 * l] as tf.Tensor2D, b: result[2 + 2 * l] as tf.Tensor1D });
  const res: LossAndGrad = { loss, grads };
  if (opts.keepUpstream) {
    const o = 1 + 2 * L;
    res.upstream = result.slice(o, o + L) as tf.Tensor2D[];
    res.activations = [x, ...(result.slice(o + L, o + 2 * L - 1) as tf.Tensor2D[])];
  }
  if (opts.withAccuracy) res.accuracy = result[result.length - 1] as tf.Scalar;
  return res;
}

/** Loss only (for line searches and evaluation), as a scalar tensor. */
export function lossOnly(params: Params, net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const outs = forwardAll(params, net, x);
    return lossFromLogits(outs[outs.length - 1], y, net);
  });
}
