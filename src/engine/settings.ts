import { BACKEND_CHOICES, MOONS_COORDINATES, X_AXES, type BackendChoice, type MoonsCoordinates, type XAxis } from './experiment';
import { BIAS_INITS, INIT_SCHEMES, INIT_SCHEME_LABELS, legacyInit, type BiasInit, type InitScheme } from './init';
import type { Activation, LossKind, OutputLink } from './types';
import type { Padding } from './layers';

/**
 * The experiment's settings, each declared once: its kind, default, bounds or choices, label and help. From this one
 * declaration the link and JSON validation (src/url/validate.ts) builds its rule, the settings panels
 * (src/ui/panels/ExperimentPanels.tsx) their field, and the default experiment its value; a method's
 * hyperparameters are declared the same way in its spec (engine/hyper.ts). Adding a setting of the experiment is
 * one declaration here plus its use in the engine. Plain data: no TF.js, read on the main thread.
 *
 * `id` names the field wherever it is shown (the form field's test id, the notice that names an unapplied edit).
 * `optional`: the setting may be absent from the experiment (links made before it existed); absent means
 * `default`, and the panels delete the key again when the default is chosen, so such links stay as they were.
 */
interface SettingBase {
  id: string;
  label: string;
  help?: string;
  optional?: boolean;
}
export interface NumberSetting extends SettingBase {
  kind: 'number' | 'int';
  default: number;
  min: number;
  max: number;
  /** Only these values (shown as a choice), e.g. the image resolution. */
  options?: readonly { value: number; label: string }[];
}
export interface ChoiceSetting<T extends string = string> extends SettingBase {
  kind: 'choice';
  default: T;
  options: readonly { value: T; label: string }[];
}
export interface FlagSetting extends SettingBase {
  kind: 'boolean';
  default: boolean;
}
export type Setting = NumberSetting | ChoiceSetting | FlagSetting;

const SEED_MAX = 2 ** 31 - 1;
const choices = <T extends string>(values: readonly T[], label: (v: T) => string = (v) => v) => values.map((value) => ({ value, label: label(value) }));

export const DATASET_SETTINGS = {
  seed: { id: 'dataset-seed', kind: 'int', label: 'seed', default: 1, min: 0, max: SEED_MAX, help: 'Seed of the data draw and of the train/test split.' },
  noise: { id: 'dataset-noise', kind: 'number', label: 'noise', default: 0.05, min: 0, max: 2, help: '2-D sets: standard deviation of the jitter; planted GLM: of the label noise.' },
  trainSize: { id: 'train-size', kind: 'int', label: 'train size', default: 400, min: 10, max: 12000 },
  testSize: { id: 'test-size', kind: 'int', label: 'test size', default: 200, min: 10, max: 2000 },
  resolution: {
    id: 'resolution', kind: 'int', label: 'resolution', default: 28, min: 14, max: 28,
    options: [{ value: 28, label: '28×28 (784 inputs)' }, { value: 14, label: '14×14 (196 inputs)' }],
    help: 'Image sets: native 28×28, or 2×2 average-pooled to 14×14 (the resolution of a reference protocol).',
  },
  standardize: {
    id: 'standardize', kind: 'boolean', label: 'standardise inputs', default: false, optional: true,
    help: "Shift and scale every input feature by the training split's mean and standard deviation (the test split uses the same numbers).",
  },
  coordinates: {
    id: 'moons-coordinates', kind: 'choice', label: 'moons coordinates', default: 'playground', optional: true,
    options: choices<MoonsCoordinates>(MOONS_COORDINATES, (v) => (v === 'native' ? 'native (unit half-circles)' : 'centred in [−1, 1]²')),
    help: 'Native: the arcs in their own units, as the reference protocols draw them; noise is in the same units.',
  } satisfies ChoiceSetting<MoonsCoordinates>,
} as const satisfies Record<string, Setting>;

export const NETWORK_SETTINGS = {
  activation: { id: 'activation', kind: 'choice', label: 'activation', default: 'tanh', options: choices<Activation>(['relu', 'tanh', 'sigmoid', 'linear']) } satisfies ChoiceSetting<Activation>,
  outputLink: { id: 'output-link', kind: 'choice', label: 'output link', default: 'softmax', options: choices<OutputLink>(['softmax', 'sigmoid', 'identity']) } satisfies ChoiceSetting<OutputLink>,
  loss: { id: 'loss', kind: 'choice', label: 'loss', default: 'ce', options: [{ value: 'ce', label: 'cross-entropy' }, { value: 'mse', label: 'squared error' }] } satisfies ChoiceSetting<LossKind>,
} as const satisfies Record<string, Setting>;

/** network options added after layer lists (optional: links made before them stay as they were). */
export const NETWORK_OPTION_SETTINGS = {
  weightDecay: {
    id: 'weight-decay', kind: 'number', label: 'weight decay λ', default: 0, min: 0, max: 1, optional: true,
    help: 'L2 penalty λ/2 Σ‖W‖² on the weights (not the biases), part of the objective every method minimises: the training loss includes it, the test loss is the data loss alone.',
  },
} as const satisfies Record<string, Setting>;

/** network.layers (engine/layers.ts): the fields of a layer; the validator and the layer editor read them. */
export const LAYER_SETTINGS = {
  units: { id: 'layer-units', kind: 'int', label: 'units', default: 64, min: 1, max: 1024 },
  filters: { id: 'layer-filters', kind: 'int', label: 'filters', default: 6, min: 1, max: 128 },
  kernel: { id: 'layer-kernel', kind: 'int', label: 'kernel', default: 5, min: 1, max: 11, help: 'Side of the square kernel, in pixels.' },
  stride: { id: 'layer-stride', kind: 'int', label: 'stride', default: 1, min: 1, max: 4 },
  padding: {
    id: 'layer-padding', kind: 'choice', label: 'padding', default: 'valid',
    options: [{ value: 'valid', label: 'valid (no padding)' }, { value: 'same', label: 'same (zero padding)' }],
  } satisfies ChoiceSetting<Padding>,
  size: { id: 'layer-pool-size', kind: 'int', label: 'pool size', default: 2, min: 1, max: 8 },
  poolStride: { id: 'layer-pool-stride', kind: 'int', label: 'pool stride', default: 2, min: 1, max: 8, help: 'Absent = the pool size (non-overlapping windows).' },
} as const satisfies Record<string, NumberSetting | ChoiceSetting>;

const BIAS_LABELS: Record<BiasInit, string> = { zero: 'zero', constant: 'constant', scheme: 'drawn like the weights' };

/** The draw every link made before init schemes received (engine/init.ts): the init settings' defaults. */
const INIT_DEFAULT = legacyInit(1);

/** network.init (engine/init.ts): how the initial weights and biases are drawn. */
// Declared in the order a decoded experiment holds them (links compare as strings).
export const INIT_SETTINGS = {
  scheme: { id: 'init-scheme', kind: 'choice', label: 'init scheme', default: INIT_DEFAULT.scheme, options: choices<InitScheme>(INIT_SCHEMES, (v) => INIT_SCHEME_LABELS[v]), help: 'How the initial weights are drawn; shared by every run of the comparison.' } satisfies ChoiceSetting<InitScheme>,
  gain: { id: 'init-gain', kind: 'number', label: 'init gain', default: INIT_DEFAULT.gain, min: 1e-4, max: 100, help: 'Multiplies the spread of the scheme (e.g. Glorot uniform × 0.01 for a small init, as some presets use).' },
  sigma: { id: 'init-sigma', kind: 'number', label: 'init σ', default: INIT_DEFAULT.sigma, min: 1e-6, max: 10, help: 'Standard deviation of every initial weight (before the gain).' },
  bias: { id: 'init-bias', kind: 'choice', label: 'initial biases', default: INIT_DEFAULT.bias, options: choices<BiasInit>(BIAS_INITS, (v) => BIAS_LABELS[v]) } satisfies ChoiceSetting<BiasInit>,
  biasValue: { id: 'init-bias-value', kind: 'number', label: 'bias value', default: INIT_DEFAULT.biasValue, min: -10, max: 10 },
} as const satisfies Record<string, Setting>;

export const TRAINING_SETTINGS = {
  batchSize: { id: 'batch-size', kind: 'int', label: 'batch size (0 = full)', default: 32, min: 0, max: 12000 },
  maxIterations: { id: 'max-iterations', kind: 'int', label: 'iterations', default: 3000, min: 1, max: 1_000_000 },
  evalEvery: { id: 'eval-every', kind: 'int', label: 'evaluate every', default: 20, min: 1, max: 10_000, help: 'Full train/test evaluation every this many iterations.' },
  seed: { id: 'training-seed', kind: 'int', label: 'init & batch seed', default: 1, min: 0, max: SEED_MAX, help: 'Shared by every run: same initial weights and batch order.' },
  backend: { id: 'backend-choice', kind: 'choice', label: 'backend', default: 'auto', options: choices<BackendChoice>(BACKEND_CHOICES, (b) => (b === 'auto' ? 'auto (fastest by probe)' : b)) } satisfies ChoiceSetting<BackendChoice>,
} as const satisfies Record<string, Setting>;

/** x-axis labels, shared by the x-axis setting and the plots' axis titles. */
export const X_AXIS_LABELS: Record<XAxis, string> = {
  iteration: 'iteration',
  epoch: 'epoch (samples seen / N)',
  cost: 'cost (full-batch gradient or block-sweep evaluations)',
  time: 'training time (s)',
};

export const VIEW_SETTINGS = {
  xAxis: { id: 'x-axis', kind: 'choice', label: 'x axis', default: 'iteration', options: choices<XAxis>(X_AXES, (a) => X_AXIS_LABELS[a]) } satisfies ChoiceSetting<XAxis>,
  logY: { id: 'log-y', kind: 'boolean', label: 'log-scale loss', default: true },
  smoothing: { id: 'smoothing', kind: 'number', label: 'smoothing (0–0.999)', default: 0.6, min: 0, max: 0.999 },
} as const satisfies Record<string, Setting>;

/** Pretraining for last-layer fine-tuning (experiment.pretrain, present only when on). */
export const PRETRAIN_SETTINGS = {
  iterations: { id: 'pretrain-iterations', kind: 'int', label: 'pretrain iterations', default: 300, min: 1, max: 20_000 },
  lr: { id: 'pretrain-lr', kind: 'number', label: 'pretrain Adam lr', default: 0.001, min: 1e-6, max: 1 },
  seed: { id: 'pretrain-seed', kind: 'int', label: 'pretrain seed', default: 1, min: 0, max: SEED_MAX },
} as const satisfies Record<string, Setting>;
