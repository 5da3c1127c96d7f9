import type { CustomData } from './data/csv';
import type { InitConfig } from './init';
import { SYNTHETIC_KINDS } from './data/synthetic';
import type { Activation, Hyper, LossKind, OutputLink } from './types';
import type { LandscapeConfig } from './landscape/config';
import { buildLayout, denseStages, describeLayers, type LayerSpec, type NetworkLayout } from './layers';

/**
 * The Experiment: one plain, versioned object that is the single source of truth. The URL, presets, JSON
 * export/import and the worker's start message all carry exactly this (design.md, "Data flow").
 */
export const EXPERIMENT_VERSION = 1;

export const IMAGE_KINDS = ['mnist', 'fashion'] as const;
export const DATASET_KINDS = [...SYNTHETIC_KINDS, 'glm', ...IMAGE_KINDS, 'custom'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

export interface DatasetConfig {
  kind: DatasetKind;
  seed: number;
  /** 2-D sets: jitter std; GLM: label-noise std. */
  noise: number;
  trainSize: number;
  testSize: number;
  /** Image sets: 28 (native) or 14 (2×2 average pooled, the resolution of a reference protocol, algorithms.md §5). */
  resolution: number;
  /** Image sets: which classes to keep (relabelled 0..k−1 in this order); empty keeps all ten. */
  classes: number[];
  /** kind 'custom': the imported rows themselves (see data/csv.ts), so that the link reproduces them. */
  custom?: CustomData;
  /**
   * Standardise every input feature by the mean and standard deviation of the training split (applied to both
   * splits; data/standardize.ts). Absent = false (the raw features, as every link made before this option).
   */
  standardize?: boolean;
  /**
   * Two moons only: 'native' draws the points in the reference's own coordinates (unit half-circles, the second
   * shifted by (1, 0.5), noise in those units — algorithms.md §5); absent or 'playground' = the playground's
   * moons, the same arcs centred and scaled by 0.8 into [−1, 1]² before the noise is added.
   */
  coordinates?: MoonsCoordinates;
}

export const MOONS_COORDINATES = ['playground', 'native'] as const;
export type MoonsCoordinates = (typeof MOONS_COORDINATES)[number];

export interface NetworkConfig {
  /** Widths of the hidden dense layers (an MLP); must be empty when `layers` is given. */
  hidden: number[];
  /** Activation of every hidden layer that does not name its own. */
  activation: Activation;
  outputLink: OutputLink;
  loss: LossKind;
  /** How the initial weights and biases are drawn (init.ts); old links' `initScale` maps to glorot-uniform × initScale. */
  init: InitConfig;
  /**
   * The hidden layers as a list (convolution, pooling, flatten, dense; engine/layers.ts); the output layer is implicit.
   * Absent = the dense layers of `hidden` (every link made before layer lists).
   */
  layers?: LayerSpec[];
  /**
   * L2 weight decay λ ≥ 0: the objective every method reports and minimises is the data loss + λ/2 Σ_l ‖W_l‖² over the
   * weight matrices (not the biases). Absent = 0.
   */
  weightDecay?: number;
}

export const BACKEND_CHOICES = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface TrainingConfig {
  /** 0 = full batch. */
  batchSize: number;
  maxIterations: number;
  /** Full train/test evaluation every this many iterations. */
  evalEvery: number;
  /** Seed of initial weights and batch order, shared by all runs so the comparison is fair. */
  seed: number;
  backend: BackendChoice;
}

export interface RunConfig {
  algorithm: string;
  hyper: Hyper;
  /** Optional display name; defaults to the algorithm's label. */
  label?: string;
  /** Set when this run's setting came out of a tuning sweep ("promote best"): what the tuning cost. */
  tuning?: RunTuning;
}

/** How a promoted run was tuned: the swept hyperparameters, trials × seeds, and the total cost spent. */
export interface RunTuning {
  keys: string[];
  trials: number;
  seeds: number;
  /** Total cost of the sweep for this method, in the cost unit of the x-axis (gradient or block-sweep evaluations). */
  cost: number;
}

export const X_AXES = ['iteration', 'epoch', 'cost', 'time'] as const;
export type XAxis = (typeof X_AXES)[number];

export interface ViewConfig {
  xAxis: XAxis;
  logY: boolean;
  /** Exponential smoothing weight for displayed curves, 0 = none. */
  smoothing: number;
}

/**
 * Optional pretraining for last-layer fine-tuning (algorithms.md §1 scope 2): the same image dataset restricted to
 * `classes`, trained with Adam (cross-entropy, softmax) from `seed`; the bottom layers are then frozen
 * and a new output head (initialised with network.init) is trained on the experiment's own classes.
 */
export interface PretrainConfig {
  classes: number[];
  iterations: number;
  lr: number;
  seed: number;
}

export interface Experiment {
  version: number;
  title: string;
  dataset: DatasetConfig;
  network: NetworkConfig;
  training: TrainingConfig;
  runs: RunConfig[];
  view: ViewConfig;
  /** Absent = no pretraining (every layer trains from the seeded initialisation). */
  pretrain?: PretrainConfig;
  /** Landscape lab (2-D problems, network slices); absent = never opened. See src/engine/landscape/config.ts. */
  landscape?: LandscapeConfig;
  /**
   * Pause on an event: stop all runs when one reaches one of these events (ids from the methods' specs, or
   * 'divergence'; see events.ts). Absent or empty = never pause by itself.
   */
  pauseOn?: string[];
  /** Comparison protocol (seeds, tuning sweep, time to target; src/sweeps); absent = one seed, no sweep, no target. */
  protocol?: ProtocolConfig;
}

export const MAX_SEEDS = 10;
/** A sweep may run at most this many settings per method. */
export const MAX_SWEEP_TRIALS = 64;
export const TARGET_METRICS = ['testAccuracy', 'trainLoss'] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];
export const SWEEP_MODES = ['grid', 'random'] as const;
export type SweepMode = (typeof SWEEP_MODES)[number];

/** One swept hyperparameter, over [min, max] on a log scale (a numeric hyperparameter of every swept run's method). */
export interface SweepAxis {
  key: string;
  min: number;
  max: number;
}

export interface SweepConfig {
  /** Indices of the runs whose method is swept; each keeps its other hyperparameters. */
  runs: number[];
  /** One or two axes. */
  axes: SweepAxis[];
  /** 'grid': `points` log-spaced values per axis; 'random': `points` settings drawn log-uniformly from `seed`. */
  mode: SweepMode;
  points: number;
  /** Budget of every trial in cost units (the cost x-axis): a trial stops when it has spent this (or at maxIterations). */
  trialCost: number;
  /** Seed of the random search (not of the training). */
  seed: number;
}

/** Time to target: the first evaluation at which test accuracy ≥ value, or training loss ≤ value. */
export interface TargetConfig {
  metric: TargetMetric;
  value: number;
}

/**
 * Seeds: replicate k (0..seeds−1) trains with training seed training.seed + k, so initial weights and batch order
 * vary while the data split (dataset.seed) stays fixed; replicate 0 is exactly the comparison's own run.
 */
export interface ProtocolConfig {
  seeds: number;
  /** Also vary the data split over seeds (replicate k uses dataset.seed + k); absent/false = the split stays fixed. */
  varySplit?: boolean;
  sweep?: SweepConfig;
  target?: TargetConfig;
}

export const MAX_RUNS = 6;
/** Input dimension of the planted GLM dataset (algorithms.md §1 reference: d = 10). */
export const GLM_DIM = 10;

/** Input size and number of outputs implied by the dataset. */
export function datasetShape(d: DatasetConfig): { inputSize: number; outputSize: number } {
  if (d.kind === 'glm') return { inputSize: GLM_DIM, outputSize: 1 };
  if (d.kind === 'custom') return { inputSize: d.custom?.features ?? 2, outputSize: d.custom?.classes ?? 2 };
  if (d.kind === 'mnist' || d.kind === 'fashion') {
    const classes = d.classes.length ? d.classes.length : 10;
    return { inputSize: d.resolution * d.resolution, outputSize: classes };
  }
  return { inputSize: 2, outputSize: d.kind === 'blobs' ? 3 : 2 };
}

/** 2-D data whose decision regions can be drawn: the generated sets, or an imported CSV with two features. */
export function isPlanar(d: DatasetConfig): boolean {
  return (SYNTHETIC_KINDS as readonly string[]).includes(d.kind) || (d.kind === 'custom' && d.custom?.features === 2);
}

/** The hidden layers as a list, whichever way the experiment gives them. */
export function hiddenLayers(n: NetworkConfig): LayerSpec[] {
  return n.layers ?? n.hidden.map((units) => ({ type: 'dense', units }));
}

/** True for MNIST and Fashion-MNIST, whose rows are square greyscale images of dataset.resolution² pixels. */
export function isImageDataset(d: DatasetConfig): boolean {
  return (IMAGE_KINDS as readonly string[]).includes(d.kind);
}

/**
 * The network the experiment describes: its stages (one per parametric layer) and every layer's output width.
 * Throws a LayerListError (engine/layers.ts) when the layer list cannot be built on this dataset.
 */
export function networkLayout(e: Experiment): NetworkLayout {
  const { inputSize, outputSize } = datasetShape(e.dataset);
  const n = e.network;
  if (!n.layers) {
    const sizes = [inputSize, ...n.hidden, outputSize];
    return { sizes, stages: denseStages(sizes, n.activation) };
  }
  const r = e.dataset.resolution;
  return buildLayout(n.layers, isImageDataset(e.dataset) ? { image: [r, r, 1] } : { features: inputSize }, outputSize, n.activation);
}

export function layerSizes(e: Experiment): number[] {
  return networkLayout(e).sizes;
}

/**
 * The network in a few words for run cards, slides and preset texts: an MLP's widths ("784-64-10"), or a layer list
 * from the input image to the outputs ("28×28 → conv 6@5×5 → max-pool 2 → … → 84 → 10").
 */
export function describeNetwork(e: Experiment): string {
  if (!e.network.layers) return layerSizes(e).join('-');
  const { inputSize, outputSize } = datasetShape(e.dataset);
  const input = isImageDataset(e.dataset) ? `${e.dataset.resolution}×${e.dataset.resolution}` : String(inputSize);
  return [input, describeLayers(e.network.layers), String(outputSize)].filter(Boolean).join(' → ');
}
