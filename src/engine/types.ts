import type { InitConfig } from './init';
import type { Activation, Stage } from './layers';
import type * as tf from '@tensorflow/tfjs';

export type { Activation } from './layers';
/** The output link φ applied to the last pre-activation Z_L. */
export type OutputLink = 'softmax' | 'sigmoid' | 'identity';
/** 'ce': cross-entropy (softmax or sigmoid link); 'mse': ½‖φ(Z_L) − Y‖² per sample, averaged. */
export type LossKind = 'ce' | 'mse';

export interface NetworkSpec {
  /** Layer widths including input and output, e.g. [2, 8, 8, 2]; a convolution layer's width is its flattened output. */
  sizes: number[];
  /** Hidden activation of an MLP given by `sizes` alone; a network with `stages` carries one activation per stage. */
  activation: Activation;
  outputLink: OutputLink;
  loss: LossKind;
  /** How the initial weights and biases are drawn (init.ts). */
  init: InitConfig;
  /**
   * One stage per parametric layer (engine/layers.ts): dense or convolution (with its pooling). Absent = the dense
   * MLP of `sizes` and `activation` (model.ts stagesOf derives it).
   */
  stages?: Stage[];
  /** L2 weight decay λ: the objective adds λ/2 Σ_l ‖W_l‖² (weights, not biases). Absent = 0. */
  weightDecay?: number;
}

/**
 * One parametric layer, row-major as TF.js likes it: a dense layer computes Z = X W + b with W d_in × d_out; a
 * convolution's W is its filter bank [kernel²·channels_in, filters] (TF.js's [kh, kw, c_in, c_out] layout as a matrix).
 */
export type Layer = {
  W: tf.Tensor2D;
  b: tf.Tensor1D;
};
export type Params = Layer[];

export interface DataSplit {
  xTrain: tf.Tensor2D;
  /** One-hot class targets (classification) or real targets (regression / GLM). */
  yTrain: tf.Tensor2D;
  xTest: tf.Tensor2D;
  yTest: tf.Tensor2D;
  /** Number of classes; 0 for a regression target. */
  numClasses: number;
  /** Known generating parameter for planted datasets (flattened [W; b] of a single layer), else undefined. */
  plantedTheta?: Float32Array;
  /** Human-readable name for plots. */
  name: string;
  /** Set when the inputs were standardised (data/standardize.ts): the training split's per-feature mean and std. */
  inputStats?: { mean: Float32Array; std: Float32Array };
}

export type HyperValue = number | string | boolean;
export type Hyper = Record<string, HyperValue>;

/** What every algorithm step reports; `extra` carries method-specific series (phase, residuals, ...). */
export interface StepMetrics {
  /** Training objective on the data the step used (mini-batch or full batch). */
  loss: number;
  /** Norm of the full parameter gradient where the method computes one, else NaN. */
  gradNorm: number;
  /**
   * Cumulative cost in full-batch gradient-evaluation equivalents: a mini-batch gradient of size B on N samples
   * counts B/N, a full-batch loss+gradient counts 1, a CG line-search trial counts 1. Lifted methods count one
   * "block sweep" over all samples as 1 (see each algorithm's comment); the UI labels the axis accordingly.
   */
  cost: number;
  extra: Record<string, number>;
}

export interface Problem {
  net: NetworkSpec;
  data: DataSplit;
  /** Shared initial weights (the same for every run of a comparison); algorithms clone, never dispose, them. */
  initialParams: Params;
  /** Mini-batch size; 0 or ≥ N means full batch. */
  batchSize: number;
  /** Layers below this index are frozen (last-layer fine-tuning); 0 means everything trains. */
  frozenBelow: number;
}

export interface AlgorithmState {
  params: Params;
  iteration: number;
}

export interface StepResult<S extends AlgorithmState> {
  state: S;
  metrics: StepMetrics;
  /** Set when the method has stopped by its own rule (e.g. CG converged to float32 precision). */
  finished?: string;
}

export interface Algorithm<S extends AlgorithmState = AlgorithmState, O = unknown> {
  id: string;
  /**
   * The method's typed options from a run's hyperparameters, read through its spec (engine/hyper.ts hyperReader:
   * the spec's default where the run has no value). `init` calls it once; nothing in a step reads a setting by key.
   */
  parse(hyper: Hyper): O;
  init(problem: Problem, hyper: Hyper, seed: number): S;
  /** Consumes `state`: tensors it no longer needs are disposed, the returned state owns its tensors. */
  step(state: S): StepResult<S>;
  dispose(state: S): void;
  /**
   * Lifted methods only (their folders declare the liftedView capability): one hidden unit's lifted activation on
   * every training point, beside ReLU of its lifted pre-activation and the ordinary forward-pass value (for drawing
   * on 2-D data). Layer is 1-based (hidden layers 1..L−1), unit 0-based. Null when the state holds no lifted
   * activations (e.g. a method that re-lifts every mini-batch). Reads the state, never changes it; leaves no tensors behind.
   */
  liftedView?(state: S, layer: number, unit: number): LiftedView | null;
}

/** One hidden unit's lifted activations over the training set (see Algorithm.liftedView); plain typed arrays. */
export interface LiftedView {
  layer: number;
  unit: number;
  /** Training inputs, N × d_0 row-major (the UI draws the first two coordinates). */
  x: Float32Array;
  inputDim: number;
  /** The method's lifted activation variable of the unit, N values. */
  lifted: Float32Array;
  /** ReLU of the unit's lifted pre-activation (what that is, is the method's own: see its liftedView), N values. */
  reluOfLifted: Float32Array;
  /** The unit's activation in the ordinary forward pass with the current W, b, N values. */
  forward: Float32Array;
}

/** One recorded point of a run: what the runner measures every iteration (and on evaluation points). */
export interface MetricPoint {
  iteration: number;
  /** Training wall time in seconds, pauses excluded. */
  time: number;
  /** Cumulative cost in full-batch gradient-evaluation equivalents (see StepMetrics.cost). */
  cost: number;
  /** Samples seen / training-set size. */
  epoch: number;
  loss: number;
  gradNorm: number;
  /** Present on evaluation points (every evalEvery iterations, and the first and last). */
  trainLoss?: number;
  testLoss?: number;
  trainAccuracy?: number;
  testAccuracy?: number;
  fullGradNorm?: number;
  extra: Record<string, number>;
}

/** The decision regions of a 2-D classifier on a grid, drawn under the run card. */
export interface BoundaryGrid {
  /** Grid resolution per axis. */
  size: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  /** size × size predicted class indices, row-major from yMin upwards. */
  classes: Uint8Array;
  /** size × size confidence of the predicted class, in [0, 1]. */
  confidence: Float32Array;
  iteration: number;
}
