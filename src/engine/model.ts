import * as tf from '@tensorflow/tfjs';
export { CONV_CHUNK_ROWS } from './layers';
import type { Activation, Layer, NetworkSpec, Params } from './types';
import { drawInitialWeights } from './init';
import { hostMaxPoolGrad } from './hostKernels';
import { CONV_CHUNK_ROWS, denseStages, hasConvolution, weightShape, type ConvStage, type PoolStep, type Stage } from './layers';

/**
 * The network with an explicit forward and backward pass: dense layers and convolution layers with their pooling
 * (engine/layers.ts). We write the backward pass by hand instead of using the gradient tape because (1) it is much
 * cheaper in TF.js (no tape bookkeeping, fused matmuls), and (2) a field method (algorithms.md §1) needs the
 * per-layer upstream signals G_l = ∂L/∂X_l that back-propagation computes on the way (algorithms.md §1, "Whole
 * network"). The convolution's own ops and their backward ops are TF.js's: conv2d, max/avg pool and their gradient
 * kernels; both gradients of a convolution are written as convolutions (convFilterGrad, convInputGrad), the op every
 * backend runs fastest (WASM has no Conv2DBackpropFilter kernel, and its Conv2DBackpropInput is 4× slower).
 */

const derivedStages = new WeakMap<NetworkSpec, Stage[]>();

/** The stages of a network: its own list, or the dense MLP of `sizes` and `activation`. */
export function stagesOf(net: NetworkSpec): Stage[] {
  if (net.stages) return net.stages;
  let s = derivedStages.get(net);
  if (!s) {
    s = denseStages(net.sizes, net.activation);
    derivedStages.set(net, s);
  }
  return s;
}

/** Shape of every layer's weight matrix, in parameter order. */
export function weightShapes(net: NetworkSpec): [number, number][] {
  return stagesOf(net).map(weightShape);
}

export function isConvolutional(net: NetworkSpec): boolean {
  return !!net.stages && hasConvolution(net.stages);
}

/** Seeded initial weights as tensors (the draw itself is init.ts' drawInitialWeights); identical on every backend. */
export function initParams(net: NetworkSpec, seed: number): Params {
  const stages = stagesOf(net);
  return drawInitialWeights(stages, net.init, seed).map((layer, i) => ({
    W: tf.tensor2d(layer.W, weightShape(stages[i])),
    b: tf.tensor1d(layer.b),
  }));
}

export function activate<T extends tf.Tensor>(z: T, act: Activation): T {
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
export function activationDerivFromOutput<T extends tf.Tensor>(x: T, act: Activation): T {
  switch (act) {
    case 'relu':
      // step(x) = 1 for x > 0, else 0: the same as cast(x > 0) but one unary kernel (WASM: 0.16 ms against 1.3 ms).
      return tf.step(x, 0) as T;
    case 'tanh':
      return tf.sub(1, tf.square(x));
    case 'sigmoid':
      return tf.mul(x, tf.sub(1, x));
    case 'linear':
      return tf.onesLike(x);
  }
}

function fusedActivation(act: Activation): 'relu' | 'sigmoid' | 'linear' | undefined {
  // tf.fused.matMul and tf.fused.conv2d support relu and sigmoid; tanh is applied separately.
  if (act === 'relu' || act === 'sigmoid' || act === 'linear') return act;
  return undefined;
}

function denseForward(x: tf.Tensor2D, layer: Layer, act: Activation): tf.Tensor2D {
  const fa = fusedActivation(act);
  if (fa) return tf.fused.matMul({ a: x, b: layer.W, bias: layer.b, activation: fa }) as tf.Tensor2D;
  return activate(tf.fused.matMul({ a: x, b: layer.W, bias: layer.b }) as tf.Tensor2D, act);
}

/** The filter bank as TF.js's conv2d takes it: [kernel, kernel, channels_in, filters] (a reshape, no copy). */
export function convFilter(layer: Layer, st: ConvStage): tf.Tensor4D {
  return tf.reshape(layer.W, [st.kernel, st.kernel, st.inC, st.filters]);
}

/** What a convolution stage's backward pass needs from its forward pass: the activation before pooling, each pool's input and output. */
interface ConvTrace {
  act: tf.Tensor4D;
  poolIn: tf.Tensor4D[];
  poolOut: tf.Tensor4D[];
}

/** conv(W, X) + b on the stage's input reshaped to an image, then its activation (fused into the convolution where TF.js can). */
function convolve(x: tf.Tensor2D, layer: Layer, st: ConvStage, act: Activation): tf.Tensor4D {
  const x4 = tf.reshape(x, [x.shape[0], st.inH, st.inW, st.inC]) as tf.Tensor4D;
  const conv = { x: x4, filter: convFilter(layer, st), strides: st.stride, pad: st.padding, bias: layer.b };
  const fa = fusedActivation(act);
  return fa ? tf.fused.conv2d({ ...conv, activation: fa }) : activate(tf.fused.conv2d(conv), act);
}

/** The stage's pools in order; each pool's input and output go to `io` when given (the backward pass needs them). */
function poolForward(h: tf.Tensor4D, st: ConvStage, io?: { poolIn: tf.Tensor4D[]; poolOut: tf.Tensor4D[] }): tf.Tensor4D {
  for (const p of st.pools) {
    io?.poolIn.push(h);
    h = p.kind === 'max' ? tf.maxPool(h, p.size, p.stride, 'valid') : tf.avgPool(h, p.size, p.stride, 'valid');
    io?.poolOut.push(h);
  }
  return h;
}

function convForward(x: tf.Tensor2D, layer: Layer, st: ConvStage, trace?: ConvTrace[]): tf.Tensor2D {
  const act = convolve(x, layer, st, st.activation);
  const io = { poolIn: [] as tf.Tensor4D[], poolOut: [] as tf.Tensor4D[] };
  const h = poolForward(act, st, io);
  trace?.push({ act, ...io });
  return tf.reshape(h, [x.shape[0], st.units]);
}

function stageForward(x: tf.Tensor2D, layer: Layer, st: Stage, trace?: ConvTrace[]): tf.Tensor2D {
  return st.kind === 'dense' ? denseForward(x, layer, st.activation) : convForward(x, layer, st, trace);
}

/**
 * Forward pass. Returns [X_0, X_1, ..., X_{L−1}, Z_L]: every hidden post-activation (a convolution layer's after its
 * pooling, flattened in NHWC order) and the *output pre-activation* (the link is applied by the loss). X_0 is the
 * input itself (not a copy).
 */
export function forwardAll(params: Params, net: NetworkSpec, x: tf.Tensor2D): tf.Tensor2D[] {
  return forwardTrace(params, net, x).outs;
}

function forwardTrace(params: Params, net: NetworkSpec, x: tf.Tensor2D): { outs: tf.Tensor2D[]; traces: (ConvTrace | undefined)[] } {
  const stages = stagesOf(net);
  const outs: tf.Tensor2D[] = [x];
  const traces: (ConvTrace | undefined)[] = [];
  let h = x;
  for (let l = 0; l < params.length; l++) {
    const t: ConvTrace[] = [];
    h = stageForward(h, params[l], stages[l], t);
    outs.push(h);
    traces.push(t[0]);
  }
  return { outs, traces };
}

/** TF.js's 'same' padding of a convolution: total max((out − 1)·stride + kernel − in, 0), the smaller half on top/left. */
function samePadding(st: ConvStage): { top: number; bottom: number; left: number; right: number } {
  if (st.padding === 'valid') return { top: 0, bottom: 0, left: 0, right: 0 };
  const padH = Math.max((st.convH - 1) * st.stride + st.kernel - st.inH, 0);
  const padW = Math.max((st.convW - 1) * st.stride + st.kernel - st.inW, 0);
  return { top: Math.floor(padH / 2), bottom: padH - Math.floor(padH / 2), left: Math.floor(padW / 2), right: padW - Math.floor(padW / 2) };
}

/**
 * ∂L/∂W of a convolution as itself a convolution (measured on WASM for LeNet-5, batch 64: 1.9 and 1.3 ms per layer,
 * against 38 and 23 ms for gathering the input's patches; WASM has no Conv2DBackpropFilter kernel):
 * dW[ky, kx, c, f] = Σ_{n,i,j} X[n, i·s + ky, j·s + kx, c] · δ[n, i, j, f] is the valid convolution of the input with
 * channels and batch swapped, [C, H, W, N], by δ as a filter [convH, convW, N, F] dilated by the stride s. Returned as
 * the weight matrix [kernel²·C, F] (rows (ky·kernel + kx)·C + c).
 */
export function convFilterGrad(xin: tf.Tensor2D, delta: tf.Tensor4D, st: ConvStage): tf.Tensor2D {
  return tf.tidy(() => {
    const n = xin.shape[0];
    let x4 = tf.reshape(xin, [n, st.inH, st.inW, st.inC]) as tf.Tensor4D;
    const p = samePadding(st);
    if (p.top + p.bottom + p.left + p.right > 0) x4 = tf.pad(x4, [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]]);
    const xt = tf.transpose(x4, [3, 1, 2, 0]) as tf.Tensor4D;
    const dt = tf.transpose(delta, [1, 2, 0, 3]) as tf.Tensor4D;
    let g = tf.conv2d(xt, dt, 1, 'valid', 'NHWC', st.stride) as tf.Tensor4D; // [C, ≥kernel, ≥kernel, F]
    // With a stride that does not divide (in − kernel), the last rows and columns are read by no output: cut them.
    if (g.shape[1] !== st.kernel || g.shape[2] !== st.kernel) g = tf.slice(g, [0, 0, 0, 0], [st.inC, st.kernel, st.kernel, st.filters]);
    return tf.reshape(tf.transpose(g, [1, 2, 0, 3]), [st.kernel * st.kernel * st.inC, st.filters]);
  });
}

/**
 * ∂L/∂X of a convolution. Stride 1: the "full" correlation of δ (padded by kernel − 1 less the forward padding) with
 * the filter flipped in space and with channels swapped — an ordinary conv2d, measured 2.5 ms against 11 ms for
 * WASM's Conv2DBackpropInput on LeNet-5's second layer. Other strides: TF.js's conv2dTranspose.
 */
function convInputGrad(delta: tf.Tensor4D, layer: Layer, st: ConvStage): tf.Tensor4D {
  const n = delta.shape[0];
  if (st.stride !== 1) return tf.conv2dTranspose(delta, convFilter(layer, st), [n, st.inH, st.inW, st.inC], st.stride, st.padding);
  return tf.tidy(() => {
    const p = samePadding(st);
    const k = st.kernel - 1;
    const padded = tf.pad(delta, [[0, 0], [k - p.top, k - p.bottom], [k - p.left, k - p.right], [0, 0]]);
    const flipped = tf.transpose(tf.reverse(convFilter(layer, st), [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(padded as tf.Tensor4D, flipped, 1, 'valid');
  });
}

/**
 * ∂/∂(W, b) of ⟨signal, layer output before its activation⟩: the weight gradient of layer l for a signal at its
 * pre-activation (δ), or — given the upstream signal G_l at its post-activation — the VI field of the layer
 * (algorithms.md §1: the field drops the layer's own σ′). `signal` is [N, units] for a dense layer and the
 * convolution's output before pooling, [N, convH·convW·filters] (NHWC), for a convolution layer.
 */
export function weightGradFromSignal(net: NetworkSpec, l: number, xin: tf.Tensor2D, signal: tf.Tensor2D): Layer {
  const st = stagesOf(net)[l];
  return tf.tidy(() => {
    if (st.kind === 'dense') return { W: tf.matMul(xin, signal, true, false) as tf.Tensor2D, b: tf.sum(signal, 0) as tf.Tensor1D };
    const delta = tf.reshape(signal, [xin.shape[0], st.convH, st.convW, st.filters]) as tf.Tensor4D;
    return { W: convFilterGrad(xin, delta, st), b: tf.sum(delta, [0, 1, 2]) as tf.Tensor1D };
  });
}

/**
 * Back through one pool: the gradient kernels of TF.js's own maxPool / avgPool, except max-pooling on CPU and WASM,
 * which goes through our host kernel (hostKernels.ts hostMaxPoolGrad: WASM's MaxPoolGrad drops windows whose maximum
 * is ≤ 0; ours routes every window to its first maximum, as TF.js's CPU kernel and PyTorch do).
 */
function poolBackward(p: PoolStep, dy: tf.Tensor4D, input: tf.Tensor4D, output: tf.Tensor4D): tf.Tensor4D {
  const attrs = { filterSize: [p.size, p.size], strides: [p.stride, p.stride], pad: 'valid' } as unknown as tf.NamedAttrMap;
  if (p.kind === 'max') return hostMaxPoolGrad(dy, input, p.size, p.stride) ?? (tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, attrs) as tf.Tensor4D);
  return tf.engine().runKernel('AvgPoolGrad', { dy, input }, attrs) as tf.Tensor4D;
}

/**
 * A convolution stage's signal at its post-activation (before pooling): the signal at its flattened output taken back
 * through the pools. Pooling is part of the layer's linear-after-activation path, so the VI field keeps it.
 */
function convSignalAtActivation(st: ConvStage, trace: ConvTrace, gOut: tf.Tensor2D): tf.Tensor4D {
  let g = tf.reshape(gOut, [gOut.shape[0], st.outH, st.outW, st.filters]) as tf.Tensor4D;
  for (let i = st.pools.length - 1; i >= 0; i--) g = poolBackward(st.pools[i], g, trace.poolIn[i], trace.poolOut[i]);
  return g;
}

/** ∂L/∂X_{l−1} from the pre-activation signal δ of stage l. */
function inputSignal(st: Stage, layer: Layer, delta: tf.Tensor, n: number): tf.Tensor2D {
  if (st.kind === 'dense') return tf.matMul(delta as tf.Tensor2D, layer.W, false, true) as tf.Tensor2D;
  return tf.reshape(convInputGrad(delta as tf.Tensor4D, layer, st), [n, st.inputs]);
}

/**
 * The pieces of one layer for the lifted methods (Fenchel, algorithms.md §6), which lift a layer's activation *before*
 * its pooling: Z = 𝒜(W)(X) + b (stagePreActivation), the adjoint of X ↦ 𝒜(W)X (stageInputAdjoint), and the pooling
 * that turns the lifted activation into the next layer's input (stagePool, identity for a dense layer) with its
 * adjoint (average pooling only: max pooling is not linear). Every tensor is flattened [N, features] (NHWC).
 */
export function stagePreActivation(net: NetworkSpec, l: number, x: tf.Tensor2D, layer: Layer): tf.Tensor2D {
  const st = stagesOf(net)[l];
  if (st.kind === 'dense') return tf.fused.matMul({ a: x, b: layer.W, bias: layer.b }) as tf.Tensor2D;
  return tf.tidy(() => tf.reshape(convolve(x, layer, st, 'linear'), [x.shape[0], st.convH * st.convW * st.filters]));
}

export function stageInputAdjoint(net: NetworkSpec, l: number, layer: Layer, r: tf.Tensor2D): tf.Tensor2D {
  const st = stagesOf(net)[l];
  const n = r.shape[0];
  if (st.kind === 'dense') return tf.matMul(r, layer.W, false, true) as tf.Tensor2D;
  return tf.tidy(() => tf.reshape(convInputGrad(tf.reshape(r, [n, st.convH, st.convW, st.filters]) as tf.Tensor4D, layer, st), [n, st.inputs]));
}

export function stagePool(net: NetworkSpec, l: number, a: tf.Tensor2D): tf.Tensor2D {
  const st = stagesOf(net)[l];
  if (st.kind === 'dense' || st.pools.length === 0) return a;
  return tf.tidy(() => tf.reshape(poolForward(tf.reshape(a, [a.shape[0], st.convH, st.convW, st.filters]) as tf.Tensor4D, st), [a.shape[0], st.units]));
}

export function stagePoolAdjoint(net: NetworkSpec, l: number, g: tf.Tensor2D): tf.Tensor2D {
  const st = stagesOf(net)[l];
  if (st.kind === 'dense' || st.pools.length === 0) return g;
  if (st.pools.some((p) => p.kind === 'max')) throw new Error('max pooling has no adjoint: it is not a linear map');
  return tf.tidy(() => {
    const n = g.shape[0];
    // Shapes before each pool, to give AvgPoolGrad the input it differentiates against.
    let dy = tf.reshape(g, [n, st.outH, st.outW, st.filters]) as tf.Tensor4D;
    for (let i = st.pools.length - 1; i >= 0; i--) {
      const p = st.pools[i];
      const input = tf.zeros([n, p.inH, p.inW, st.filters]) as tf.Tensor4D;
      dy = poolBackward(p, dy, input, input);
    }
    return tf.reshape(dy, [n, st.convH * st.convW * st.filters]);
  });
}

export function applyLink(z: tf.Tensor2D, link: NetworkSpec['outputLink']): tf.Tensor2D {
  if (link === 'softmax') return tf.softmax(z);
  if (link === 'sigmoid') return tf.sigmoid(z);
  return z;
}


function chunks(net: NetworkSpec, n: number): [number, number][] {
  if (!isConvolutional(net) || n <= CONV_CHUNK_ROWS) return [[0, n]];
  const out: [number, number][] = [];
  for (let a = 0; a < n; a += CONV_CHUNK_ROWS) out.push([a, Math.min(CONV_CHUNK_ROWS, n - a)]);
  return out;
}

const rowsOf = (t: tf.Tensor2D, [start, size]: [number, number]): tf.Tensor2D => (start === 0 && size === t.shape[0] ? t : tf.slice(t, [start, 0], [size, -1]));

/** Output pre-activation Z_L of a whole set (in passes of CONV_CHUNK_ROWS rows for a convolutional network). */
export function logits(params: Params, net: NetworkSpec, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const parts = chunks(net, x.shape[0]).map((c) => {
      const outs = forwardAll(params, net, rowsOf(x, c));
      return outs[outs.length - 1];
    });
    return parts.length === 1 ? parts[0] : (tf.concat(parts, 0) as tf.Tensor2D);
  });
}

/** Network output φ(Z_L): class probabilities or regression values. */
export function predict(params: Params, net: NetworkSpec, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => applyLink(logits(params, net, x), net.outputLink));
}

/** λ/2 Σ_l ‖W_l‖², the weight-decay term of the objective (weights, not biases); null when λ = 0. */
export function weightPenalty(params: Params, net: NetworkSpec): tf.Scalar | null {
  const lambda = net.weightDecay ?? 0;
  if (lambda === 0) return null;
  return tf.tidy(() => tf.mul(lambda / 2, tf.addN(params.map((p) => tf.sum(tf.square(p.W))))) as tf.Scalar);
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
  /**
   * G_l = ∂L/∂X_l for l = 1..L (X_L meaning the network output φ(Z_L)); only when asked for. For a convolution layer
   * the signal at its activation before pooling, [N, convH·convW·filters] (what its field multiplies, weightGradFromSignal).
   */
  upstream?: tf.Tensor2D[];
  /** Post-activations X_0..X_{L−1} (X_0 is the caller's input); only when upstream is asked for. */
  activations?: tf.Tensor2D[];
  /** Share of rows whose arg-max output matches the target's; only when asked for (classification). */
  accuracy?: tf.Scalar;
}

interface LossAndGradOptions {
  keepUpstream?: boolean;
  frozenBelow?: number;
  withAccuracy?: boolean;
}

/**
 * Loss and gradient of the objective (data loss + weight decay) by explicit back-propagation. Layers with index <
 * frozenBelow get no gradient entry computed (their grads are zeros) — this is what last-layer fine-tuning freezes.
 */
export function lossAndGrad(params: Params, net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D, opts: LossAndGradOptions = {}): LossAndGrad {
  const frozenBelow = opts.frozenBelow ?? 0;
  const parts = opts.keepUpstream ? [[0, x.shape[0]] as [number, number]] : chunks(net, x.shape[0]);
  const res = parts.length === 1 ? dataLossAndGrad(params, net, x, y, opts) : chunkedLossAndGrad(params, net, x, y, parts, opts);
  const penalty = weightPenalty(params, net);
  if (penalty) {
    const lambda = net.weightDecay!;
    // ∇(λ/2 ‖W‖²) = λW on the trained layers' weights; biases and frozen layers keep their tensors as they are.
    const loss = tf.add(res.loss, penalty) as tf.Scalar;
    tf.dispose([res.loss, penalty]);
    res.loss = loss;
    res.grads.forEach((g, l) => {
      if (l < frozenBelow) return;
      const W = tf.tidy(() => tf.add(g.W, tf.mul(lambda, params[l].W)) as tf.Tensor2D);
      g.W.dispose();
      res.grads[l] = { W, b: g.b };
    });
  }
  return res;
}

/** The data loss's mean over all rows from passes over row blocks, each weighted by its share of the rows. */
function chunkedLossAndGrad(params: Params, net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D, parts: [number, number][], opts: LossAndGradOptions): LossAndGrad {
  const n = x.shape[0];
  let acc = null as LossAndGrad | null;
  for (const part of parts) {
    const w = part[1] / n;
    const xs = tf.slice(x, [part[0], 0], [part[1], -1]);
    const ys = tf.slice(y, [part[0], 0], [part[1], -1]);
    const r = dataLossAndGrad(params, net, xs, ys, opts);
    tf.dispose([xs, ys]);
    const prev: LossAndGrad | null = acc;
    acc = tf.tidy(() => {
      const add = (a: tf.Tensor | undefined, b: tf.Tensor) => (a ? tf.add(a, tf.mul(w, b)) : tf.mul(w, b));
      return {
        loss: add(prev?.loss, r.loss) as tf.Scalar,
        grads: r.grads.map((g, l) => ({ W: add(prev?.grads[l].W, g.W) as tf.Tensor2D, b: add(prev?.grads[l].b, g.b) as tf.Tensor1D })),
        accuracy: r.accuracy ? (add(prev?.accuracy, r.accuracy) as tf.Scalar) : undefined,
      };
    });
    disposeLossAndGrad(r);
    if (prev) disposeLossAndGrad(prev);
  }
  return acc!;
}

function disposeLossAndGrad(r: LossAndGrad): void {
  tf.dispose([r.loss, ...r.grads.flatMap((g) => [g.W, g.b])]);
  if (r.accuracy) r.accuracy.dispose();
}

/** One forward and backward pass over (x, y): the data loss's mean and its gradient. */
function dataLossAndGrad(params: Params, net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D, opts: LossAndGradOptions): LossAndGrad {
  const frozenBelow = opts.frozenBelow ?? 0;
  const stages = stagesOf(net);
  const n = x.shape[0];
  const result = tf.tidy(() => {
    const { outs, traces } = forwardTrace(params, net, x);
    const L = params.length;
    const zL = outs[L];
    const loss = lossFromLogits(zL, y, net);
    const { gOut, dZ } = outputSignals(zL, y, net);
    const grads: Params = new Array(L);
    const upstream: tf.Tensor2D[] = new Array(L);
    upstream[L - 1] = gOut;
    // g: ∂L/∂(output of stage l) while walking down; the output layer starts from its pre-activation signal dZ.
    let g: tf.Tensor2D | null = null;
    for (let l = L - 1; l >= 0; l--) {
      const st = stages[l];
      const needed = l >= frozenBelow || opts.keepUpstream;
      let delta: tf.Tensor | null = null;
      if (l === L - 1) delta = dZ;
      else if (needed && g) {
        if (st.kind === 'dense') {
          upstream[l] = g;
          delta = tf.mul(g, activationDerivFromOutput(outs[l + 1], st.activation));
        } else {
          const trace = traces[l]!;
          const atAct = convSignalAtActivation(st, trace, g);
          upstream[l] = tf.reshape(atAct, [n, st.convH * st.convW * st.filters]);
          delta = tf.mul(atAct, activationDerivFromOutput(trace.act, st.activation));
        }
      }
      const delta2d: tf.Tensor2D | null = delta && (tf.reshape(delta, [n, -1]) as tf.Tensor2D);
      grads[l] = l >= frozenBelow && delta2d ? weightGradFromSignal(net, l, outs[l], delta2d) : { W: tf.zerosLike(params[l].W), b: tf.zerosLike(params[l].b) };
      g = l > 0 && delta && (l > frozenBelow || opts.keepUpstream) ? inputSignal(st, params[l], st.kind === 'conv' ? delta : delta2d!, n) : null;
    }
    const out: tf.Tensor[] = [loss];
    for (const gr of grads) out.push(gr.W, gr.b);
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

/** The objective (data loss + weight decay) only, for line searches and evaluation, as a scalar tensor. */
export function lossOnly(params: Params, net: NetworkSpec, x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const data = lossFromLogits(logits(params, net, x), y, net);
    const penalty = weightPenalty(params, net);
    return penalty ? tf.add(data, penalty) : data;
  });
}
