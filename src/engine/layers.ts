/** A layer's nonlinearity (re-exported by types.ts; declared here so that this file depends on nothing). */
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'linear';

/**
 * The network as a list of layers (experiment.network.layers) and what the engine builds from it: one *stage* per
 * parametric layer. A convolution stage owns the pooling layers that follow it (pooling has no parameters), a dense
 * stage reads its input flattened. Keeping one entry of `Params` per parametric layer is what lets every method —
 * first-order, CG, L-BFGS and the VI field, which work layer by layer — train a CNN unchanged.
 *
 * Data stay flat rows (an image is resolution² pixels, row-major); a convolution stage reshapes its input to
 * [N, H, W, C] and flattens its output again in NHWC order, so every layer's output X_l is an [N, features] matrix.
 */

export type Padding = 'valid' | 'same';
export const PADDINGS = ['valid', 'same'] as const;
export type PoolKind = 'max' | 'avg';

export type DenseLayerSpec = { type: 'dense'; units: number; activation?: Activation };
export type ConvLayerSpec = { type: 'conv2d'; filters: number; kernel: number; stride?: number; padding?: Padding; activation?: Activation };
export type PoolLayerSpec = { type: 'maxpool' | 'avgpool'; size: number; stride?: number };
export type FlattenLayerSpec = { type: 'flatten' };
/** One hidden layer of experiment.network.layers; the output layer (dense, one unit per class, the link) is implicit. */
export type LayerSpec = DenseLayerSpec | ConvLayerSpec | PoolLayerSpec | FlattenLayerSpec;
export const LAYER_TYPES = ['dense', 'conv2d', 'maxpool', 'avgpool', 'flatten'] as const;
export type LayerType = (typeof LAYER_TYPES)[number];

export const LAYER_TYPE_LABELS: Record<LayerType, string> = {
  dense: 'dense',
  conv2d: 'convolution',
  maxpool: 'max-pool',
  avgpool: 'average-pool',
  flatten: 'flatten',
};

/**
 * LeNet-5 as it is trained today (ReLU, max-pooling; LeCun et al. 1998 used squashing units and subsampling): conv
 * 6@5×5 → pool 2 → conv 16@5×5 → pool 2 → 120 → 84 → (10 outputs), 44,426 parameters on 28×28 images.
 */
export const LENET5: readonly LayerSpec[] = [
  { type: 'conv2d', filters: 6, kernel: 5 },
  { type: 'maxpool', size: 2 },
  { type: 'conv2d', filters: 16, kernel: 5 },
  { type: 'maxpool', size: 2 },
  { type: 'flatten' },
  { type: 'dense', units: 120 },
  { type: 'dense', units: 84 },
];

/** At most this many hidden layers in a list (LeNet-5 has seven: conv, pool, conv, pool, flatten, dense, dense). */
export const MAX_LAYERS = 12;
/** Bounds of what one run may build, whatever the device: parameters and activations per sample. */
export const MAX_PARAMETERS = 3_000_000;
export const MAX_ACTIVATIONS_PER_SAMPLE = 400_000;

/**
 * Rows per pass for a convolutional network on a large set (the run's full-set evaluation, a full-batch method):
 * the convolutions' activations of 12,000 MNIST images would take hundreds of megabytes at once. Dense networks
 * keep one pass (their activations are small, and their results stay bit-identical to before).
 */
export const CONV_CHUNK_ROWS = 500;

export interface PoolStep {
  kind: PoolKind;
  size: number;
  stride: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
}

export interface DenseStage {
  kind: 'dense';
  inputs: number;
  units: number;
  activation: Activation;
}

export interface ConvStage {
  kind: 'conv';
  inH: number;
  inW: number;
  inC: number;
  filters: number;
  kernel: number;
  stride: number;
  padding: Padding;
  activation: Activation;
  /** Size of the convolution's output (before pooling). */
  convH: number;
  convW: number;
  pools: PoolStep[];
  /** Output after the pools: [outH, outW, filters], flattened to `units` = outH·outW·filters features. */
  outH: number;
  outW: number;
  inputs: number;
  units: number;
}

export type Stage = DenseStage | ConvStage;

/** Shape of a stage's weight matrix: dense [inputs, units]; convolution [kernel²·inC, filters] (TF.js's filter layout, 2-D). */
export function weightShape(s: Stage): [number, number] {
  return s.kind === 'dense' ? [s.inputs, s.units] : [s.kernel * s.kernel * s.inC, s.filters];
}

/** Fan-in and fan-out as the initialisers count them (PyTorch and Keras alike: a kernel's receptive field times channels). */
export function fans(s: Stage): { fanIn: number; fanOut: number } {
  return s.kind === 'dense' ? { fanIn: s.inputs, fanOut: s.units } : { fanIn: s.kernel * s.kernel * s.inC, fanOut: s.kernel * s.kernel * s.filters };
}

export function stageParamCount(s: Stage): number {
  const [r, c] = weightShape(s);
  return r * c + c;
}

/** Activations one sample produces in a stage (convolution output and every pool's output). */
export function stageActivations(s: Stage): number {
  if (s.kind === 'dense') return s.units;
  return s.convH * s.convW * s.filters + s.pools.reduce((n, p) => n + p.outH * p.outW * s.filters, 0);
}

/** Size of a convolution's or pool's output along one side, as TF.js (and PyTorch with the equivalent padding) computes it. */
export function outputSide(input: number, window: number, stride: number, padding: Padding): number {
  return padding === 'same' ? Math.ceil(input / stride) : Math.floor((input - window) / stride) + 1;
}

/** What the layers are built on: an image (height, width, channels) or a row of features. */
export type InputShape = { image: [number, number, number] } | { features: number };

export interface NetworkLayout {
  stages: Stage[];
  /** Width of X_0 (the input) and of every stage's flattened output, X_1 … X_L. */
  sizes: number[];
}

export class LayerListError extends Error {
  constructor(
    readonly index: number | null,
    message: string,
  ) {
    super(message);
  }
}

function describe(l: LayerSpec, i: number): string {
  return `layer ${i + 1} (${LAYER_TYPE_LABELS[l.type]})`;
}

/**
 * Build the stages from a list of hidden layers and the output layer's width. Throws a LayerListError naming the
 * layer and the reason when the list cannot be built (a kernel larger than its input, a convolution on features,
 * a convolution after a dense layer, a dense layer on an image without a flatten, a pool with nothing to pool, or
 * more parameters or activations than a run may have).
 */
export function buildLayout(layers: readonly LayerSpec[], input: InputShape, outputs: number, defaultActivation: Activation): NetworkLayout {
  if (layers.length > MAX_LAYERS) throw new LayerListError(null, `the network lists ${layers.length} layers; at most ${MAX_LAYERS} are allowed`);
  const stages: Stage[] = [];
  // The shape flowing through the list: an image while convolutions and pools apply, then a flat row.
  let image: [number, number, number] | null = 'image' in input ? [...input.image] : null;
  let features = 'image' in input ? input.image[0] * input.image[1] * input.image[2] : input.features;
  // A dense layer may read the raw image as its row of pixels (an MLP on MNIST); after a convolution the image must
  // be flattened explicitly, so that the list says where the spatial layers end.
  let flattened = !image;
  let afterConv = false;
  let current: ConvStage | null = null;
  layers.forEach((l, i) => {
    const name = describe(l, i);
    if (l.type === 'conv2d') {
      if (!image) {
        throw new LayerListError(i, 'image' in input
          ? `${name} comes after a flatten or dense layer: convolutions must come before them`
          : `${name}: a convolution needs image data (MNIST or Fashion-MNIST); this dataset gives rows of ${features} features`);
      }
      const stride = l.stride ?? 1;
      const padding = l.padding ?? 'valid';
      const [h, w, c] = image;
      if (padding === 'valid' && (l.kernel > h || l.kernel > w))
        throw new LayerListError(i, `${name}: its ${l.kernel}×${l.kernel} kernel is larger than its ${h}×${w} input`);
      if (l.filters < 1) throw new LayerListError(i, `${name}: it needs at least one filter`);
      const convH = outputSide(h, l.kernel, stride, padding);
      const convW = outputSide(w, l.kernel, stride, padding);
      current = {
        kind: 'conv', inH: h, inW: w, inC: c, filters: l.filters, kernel: l.kernel, stride, padding,
        activation: l.activation ?? defaultActivation, convH, convW, pools: [], outH: convH, outW: convW,
        inputs: h * w * c, units: convH * convW * l.filters,
      };
      stages.push(current);
      afterConv = true;
      image = [convH, convW, l.filters];
      features = current.units;
    } else if (l.type === 'maxpool' || l.type === 'avgpool') {
      if (!image || !current) {
        throw new LayerListError(i, image
          ? `${name} has no convolution before it: pooling follows a convolution layer`
          : `${name} comes after a flatten or dense layer: pooling applies to images, before the flatten`);
      }
      const stride = l.stride ?? l.size;
      const [h, w, c] = image;
      if (l.size > h || l.size > w) throw new LayerListError(i, `${name}: its ${l.size}×${l.size} window is larger than its ${h}×${w} input`);
      const outH = outputSide(h, l.size, stride, 'valid');
      const outW = outputSide(w, l.size, stride, 'valid');
      const conv: ConvStage = current;
      conv.pools.push({ kind: l.type === 'maxpool' ? 'max' : 'avg', size: l.size, stride, inH: h, inW: w, outH, outW });
      conv.outH = outH;
      conv.outW = outW;
      conv.units = outH * outW * c;
      image = [outH, outW, c];
      features = conv.units;
    } else if (l.type === 'flatten') {
      if (flattened) throw new LayerListError(i, `${name}: the input is already a flat row of ${features} features`);
      flattened = true;
      image = null;
      current = null;
    } else if (l.type === 'dense') {
      if (afterConv && !flattened) throw new LayerListError(i, `${name} follows an image of ${image!.join('×')}: add a flatten layer before it`);
      if (l.units < 1) throw new LayerListError(i, `${name}: it needs at least one unit`);
      stages.push({ kind: 'dense', inputs: features, units: l.units, activation: l.activation ?? defaultActivation });
      features = l.units;
      flattened = true;
      image = null;
      current = null;
    }
  });
  if (afterConv && !flattened) throw new LayerListError(layers.length - 1, `the list ends on an image of ${image!.join('×')}: add a flatten layer before the output layer`);
  stages.push({ kind: 'dense', inputs: features, units: outputs, activation: 'linear' });
  const params = stages.reduce((n, s) => n + stageParamCount(s), 0);
  if (params > MAX_PARAMETERS) throw new LayerListError(null, `the network has ${params.toLocaleString('en')} parameters; a run may have at most ${MAX_PARAMETERS.toLocaleString('en')}`);
  const acts = stages.reduce((n, s) => n + stageActivations(s), 0);
  if (acts > MAX_ACTIVATIONS_PER_SAMPLE)
    throw new LayerListError(null, `the network computes ${acts.toLocaleString('en')} activations per image; a run may compute at most ${MAX_ACTIVATIONS_PER_SAMPLE.toLocaleString('en')}`);
  const sizes = ['image' in input ? input.image[0] * input.image[1] * input.image[2] : input.features, ...stages.map((s) => s.units)];
  return { stages, sizes };
}

/** The dense stages of an MLP with layer widths `sizes` (hidden layers `activation`, the output layer linear). */
export function denseStages(sizes: readonly number[], activation: Activation): Stage[] {
  const out: Stage[] = [];
  for (let l = 1; l < sizes.length; l++) out.push({ kind: 'dense', inputs: sizes[l - 1], units: sizes[l], activation: l === sizes.length - 1 ? 'linear' : activation });
  return out;
}

/** True when a stage list holds a convolution (what the lifted methods, defined for dense layers, refuse). */
export function hasConvolution(stages: readonly Stage[]): boolean {
  return stages.some((s) => s.kind === 'conv');
}

/** Short text of a layer list for run cards and titles, e.g. "conv 6@5×5 → max-pool 2 → … → 84". */
export function describeLayers(layers: readonly LayerSpec[]): string {
  return layers
    .map((l) => {
      switch (l.type) {
        case 'dense':
          return `${l.units}${l.activation ? ` ${l.activation}` : ''}`;
        case 'conv2d':
          return `conv ${l.filters}@${l.kernel}×${l.kernel}${(l.stride ?? 1) !== 1 ? ` /${l.stride}` : ''}${l.padding === 'same' ? ' same' : ''}${l.activation ? ` ${l.activation}` : ''}`;
        case 'maxpool':
        case 'avgpool':
          return `${l.type === 'maxpool' ? 'max' : 'avg'}-pool ${l.size}${l.stride !== undefined && l.stride !== l.size ? ` /${l.stride}` : ''}`;
        case 'flatten':
          return 'flatten';
      }
    })
    .join(' → ');
}
