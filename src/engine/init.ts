import { deriveSeed, gaussian, makeRng } from './random';
import { fans, weightShape, type Stage } from './layers';

/**
 * How the initial weights and biases are drawn — a setting of the experiment, shared by every run of a comparison
 * (algorithms.md §5: the init alone flips conclusions, so it must be visible and in the link).
 *
 * Schemes (fan_in = d_{l−1}, fan_out = d_l of a dense layer l; a convolution's fan_in = kernel²·channels_in and
 * fan_out = kernel²·filters, as PyTorch and Keras count them; `gain` multiplies the spread of every scheme):
 * - glorot-uniform: U(±gain·√(6/(fan_in + fan_out))) — what every link made before schemes existed draws
 *   (their `network.initScale` is this scheme's gain; see validate.ts' migration);
 * - glorot-normal: N(0, gain²·2/(fan_in + fan_out)) — the notes' "Glorot" (§5);
 * - he-normal: N(0, gain²·2/fan_in) — the notes' "He" (§5);
 * - normal: N(0, (gain·sigma)²) whatever the layer sizes — the notes' "N(0, s²)" (§5, e.g. a reference protocol's s = 0.01);
 * - pytorch-uniform: U(±gain/√fan_in), PyTorch's default for nn.Linear (weights and, with bias 'scheme', biases).
 * Biases: 'zero', 'constant' (every bias = biasValue, e.g. 0.1 in one reference implementation, §4), or 'scheme' (drawn from the
 * weight scheme of the layer: for pytorch-uniform exactly PyTorch's U(±1/√fan_in) bias).
 */
export const INIT_SCHEMES = ['glorot-uniform', 'glorot-normal', 'he-normal', 'normal', 'pytorch-uniform'] as const;
export type InitScheme = (typeof INIT_SCHEMES)[number];
export const BIAS_INITS = ['zero', 'constant', 'scheme'] as const;
export type BiasInit = (typeof BIAS_INITS)[number];

export interface InitConfig {
  scheme: InitScheme;
  /** Multiplies the spread of the scheme (the old `initScale`). */
  gain: number;
  /** Standard deviation of the 'normal' scheme before the gain; unused by the others. */
  sigma: number;
  bias: BiasInit;
  /** Value of every bias when bias = 'constant'; unused otherwise. */
  biasValue: number;
}

export const INIT_SCHEME_LABELS: Record<InitScheme, string> = {
  'glorot-uniform': 'Glorot uniform',
  'glorot-normal': 'Glorot normal',
  'he-normal': 'He normal',
  normal: 'normal N(0, σ²)',
  'pytorch-uniform': 'PyTorch default (uniform ±1/√fan_in)',
};

/** The initialisation every link made before init schemes existed: Glorot-uniform times `initScale`, zero biases. */
export function legacyInit(initScale: number): InitConfig {
  return { scheme: 'glorot-uniform', gain: initScale, sigma: 0.01, bias: 'zero', biasValue: 0 };
}

export function defaultInit(): InitConfig {
  return legacyInit(1);
}

/** A short description for run cards and benchmark tables, e.g. "He normal, biases 0.1" or "N(0, 0.01²), biases 0". */
export function describeInit(init: InitConfig): string {
  const gain = init.gain === 1 ? '' : ` × ${init.gain}`;
  const w = init.scheme === 'normal' ? `N(0, ${init.sigma}²)${gain}` : `${INIT_SCHEME_LABELS[init.scheme]}${gain}`;
  const b = init.bias === 'zero' ? 'biases 0' : init.bias === 'constant' ? `biases ${init.biasValue}` : 'biases from the scheme';
  return `${w}, ${b}`;
}

/** Law of one layer's weights: a uniform half-width or a normal standard deviation. */
export function weightLaw(init: InitConfig, fanIn: number, fanOut: number): { kind: 'uniform'; limit: number } | { kind: 'normal'; std: number } {
  switch (init.scheme) {
    case 'glorot-uniform':
      return { kind: 'uniform', limit: Math.sqrt(6 / (fanIn + fanOut)) * init.gain };
    case 'glorot-normal':
      return { kind: 'normal', std: Math.sqrt(2 / (fanIn + fanOut)) * init.gain };
    case 'he-normal':
      return { kind: 'normal', std: Math.sqrt(2 / fanIn) * init.gain };
    case 'normal':
      return { kind: 'normal', std: init.sigma * init.gain };
    case 'pytorch-uniform':
      return { kind: 'uniform', limit: init.gain / Math.sqrt(fanIn) };
  }
}

export interface DrawnLayer {
  /** The layer's weight matrix (engine/layers.ts weightShape), row-major: dense fan_in × fan_out (Z = X W + b). */
  W: Float32Array;
  b: Float32Array;
}

/**
 * The initial weights and biases of a network's stages (engine/layers.ts), drawn from `seed` — the one function that
 * decides them (the worker, the benchmarks and an export to other frameworks all go through it). Draw order: one
 * stream derived from (seed, 'init'); per layer, the weight matrix row by row, then (bias 'scheme' only) the biases.
 * A glorot-uniform draw with zero biases is bit-identical to what links made before schemes existed received.
 */
export function drawInitialWeights(stages: readonly Stage[], init: InitConfig, seed: number): DrawnLayer[] {
  const rng = makeRng(deriveSeed(seed, 'init'));
  const layers: DrawnLayer[] = [];
  for (const stage of stages) {
    const { fanIn, fanOut } = fans(stage);
    const [rows, cols] = weightShape(stage);
    const law = weightLaw(init, fanIn, fanOut);
    const draw = law.kind === 'uniform' ? () => (2 * rng() - 1) * law.limit : () => gaussian(rng) * law.std;
    const W = new Float32Array(rows * cols);
    for (let i = 0; i < W.length; i++) W[i] = draw();
    const b = new Float32Array(cols);
    if (init.bias === 'constant') b.fill(init.biasValue);
    else if (init.bias === 'scheme') for (let i = 0; i < cols; i++) b[i] = draw();
    layers.push({ W, b });
  }
  return layers;
}
