import * as tf from '@tensorflow/tfjs';
import type { BinaryLoader } from './data/build';
import { isPlanar, type Experiment } from './experiment';
import { evaluate, evaluateWithGradient } from './metrics';
import { BackendFaultError, impossibleEvaluation } from './backendFault';
import { applyStats } from './data/standardize';
import { forwardAll } from './model';
import { allFinite, flattenParams, paramCount } from './params';
import { buildProblem, disposeProblem } from './problem';
import type { Algorithm, AlgorithmState, BoundaryGrid, LiftedView, MetricPoint, Problem } from './types';
import { SnapshotRecorder } from './landscape/snapshots';
import { computeImageViews, type ImageViews } from './imageViews';
import { isImageDataset } from './imageClasses';

/**
 * One training run, independent of where it executes: the worker drives it with messages, the Node tests and
 * benchmarks drive it directly. It owns the Problem, the algorithm state and the clock.
 */
export interface StepOutcome {
  point: MetricPoint;
  /** Set when the run must stop: 'finished' (budget or the method's own rule) or 'diverged'. */
  stop?: { status: 'finished' | 'diverged'; message: string };
}

/** Limits of one job of the worker pool (src/workers/pool.ts) on top of the experiment's maxIterations. */
export interface RunLimits {
  /** Stop once the cumulative cost (StepMetrics.cost) reaches this budget. */
  maxCost?: number;
}

export class TrainingRun {
  iteration = 0;
  /** Training wall time in seconds (only time spent inside step()). */
  time = 0;
  private lastFinite: MetricPoint | undefined;
  /** Landscape lab: bounded flattened-parameter snapshots for projecting the trajectory onto a slice. */
  readonly snapshots: SnapshotRecorder;

  private constructor(
    readonly experiment: Experiment,
    readonly problem: Problem,
    private readonly algorithm: Algorithm<AlgorithmState>,
    private state: AlgorithmState,
    private readonly limits: RunLimits = {},
  ) {
    this.snapshots = new SnapshotRecorder(paramCount(problem.net));
    this.snapshots.maybeRecord(0, () => flattenParams(state.params));
  }

  /** Current parameters (owned by the algorithm state: do not dispose). */
  get params() {
    return this.state.params;
  }

  /**
   * Run `runIndex` of the experiment with `algorithm`, its method's implementation. The engine knows no method by
   * name: src/methods/algorithms.ts (startTrainingRun) looks the implementation up.
   */
  static async create(experiment: Experiment, runIndex: number, algorithm: Algorithm<AlgorithmState>, load: BinaryLoader, limits: RunLimits = {}): Promise<TrainingRun> {
    const run = experiment.runs[runIndex];
    if (!run) throw new Error(`experiment has no run #${runIndex}`);
    if (algorithm.id !== run.algorithm) throw new Error(`run #${runIndex} is ${run.algorithm}, not ${algorithm.id}`);
    const problem = await buildProblem(experiment, load);
    // The same training seed for every run: same initial weights and batch order (fair comparison).
    const state = algorithm.init(problem, run.hyper, experiment.training.seed);
    return new TrainingRun(experiment, problem, algorithm, state, limits);
  }

  get paramCount(): number {
    return paramCount(this.problem.net);
  }

  get classification(): boolean {
    return this.problem.data.numClasses > 0;
  }

  get isTwoD(): boolean {
    return isPlanar(this.experiment.dataset);
  }

  /** Last point whose loss was finite (what the plots keep after a divergence). */
  get lastFinitePoint(): MetricPoint | undefined {
    return this.lastFinite;
  }

  step(): StepOutcome {
    const t0 = performance.now();
    const result = this.algorithm.step(this.state);
    this.state = result.state;
    this.iteration++;
    if (allFiniteCheap(result.metrics.loss)) this.snapshots.maybeRecord(this.iteration, () => flattenParams(this.state.params));
    const m = result.metrics;
    const point: MetricPoint = {
      iteration: this.iteration,
      time: 0,
      cost: m.cost,
      epoch: (this.iteration * effectiveBatch(this.problem)) / this.problem.data.xTrain.shape[0],
      loss: m.loss,
      gradNorm: m.gradNorm,
      extra: m.extra,
    };
    const every = this.experiment.training.evalEvery;
    const budgetSpent = this.limits.maxCost !== undefined && m.cost >= this.limits.maxCost;
    const last = this.iteration >= this.experiment.training.maxIterations || budgetSpent || result.finished !== undefined;
    if (this.iteration === 1 || this.iteration % every === 0 || last) {
      this.evaluateInto(point);
      // Judged before the method's own stopping rule: zeros from a broken device make L-BFGS and CG "converge".
      const impossible = impossibleEvaluation(point);
      if (impossible) throw new BackendFaultError(`the ${tf.getBackend()} backend computes wrong numbers: at iteration ${this.iteration} ${impossible}`);
    }
    this.time += (performance.now() - t0) / 1000;
    point.time = this.time;
    if (!Number.isFinite(point.loss) || (point.trainLoss !== undefined && !Number.isFinite(point.trainLoss))) {
      return { point, stop: { status: 'diverged', message: `diverged at iteration ${this.iteration}: the loss became ${point.loss}` } };
    }
    this.lastFinite = point;
    if (result.finished) return { point, stop: { status: 'finished', message: result.finished } };
    if (budgetSpent && this.iteration < this.experiment.training.maxIterations)
      return { point, stop: { status: 'finished', message: `budget of ${this.limits.maxCost} cost units spent at iteration ${this.iteration}` } };
    if (last) return { point, stop: { status: 'finished', message: `finished ${this.iteration} iterations` } };
    return { point };
  }

  private evaluateInto(point: MetricPoint): void {
    const { params } = this.state;
    const { net, data } = this.problem;
    if (!allFinite(params)) {
      point.trainLoss = NaN;
      return;
    }
    const tr = evaluateWithGradient(params, net, data.xTrain, data.yTrain, this.classification);
    const te = evaluate(params, net, data.xTest, data.yTest, this.classification);
    point.trainLoss = tr.loss;
    point.testLoss = te.loss;
    if (this.classification) {
      point.trainAccuracy = tr.accuracy;
      point.testAccuracy = te.accuracy;
    }
    point.fullGradNorm = tr.gradNorm;
  }

  /** Decision regions of the current network on a grid over the 2-D data's bounding box. */
  boundary(size = 48): BoundaryGrid | null {
    if (!this.isTwoD || this.problem.net.sizes[0] !== 2) return null;
    // The grid is laid out in the raw input units the UI draws the points in; standardised inputs are mapped back.
    const stats = this.problem.data.inputStats;
    const xs = Float32Array.from(this.problem.data.xTrain.dataSync());
    if (stats) for (let i = 0; i < xs.length; i++) xs[i] = xs[i] * (stats.std[i % 2] > 1e-12 ? stats.std[i % 2] : 1) + stats.mean[i % 2];
    let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
    for (let i = 0; i < xs.length; i += 2) {
      xMin = Math.min(xMin, xs[i]); xMax = Math.max(xMax, xs[i]);
      yMin = Math.min(yMin, xs[i + 1]); yMax = Math.max(yMax, xs[i + 1]);
    }
    const padX = 0.1 * (xMax - xMin), padY = 0.1 * (yMax - yMin);
    xMin -= padX; xMax += padX; yMin -= padY; yMax += padY;
    const grid = new Float32Array(size * size * 2);
    for (let r = 0; r < size; r++)
      for (let c = 0; c < size; c++) {
        grid[2 * (r * size + c)] = xMin + ((xMax - xMin) * c) / (size - 1);
        grid[2 * (r * size + c) + 1] = yMin + ((yMax - yMin) * r) / (size - 1);
      }
    const [cls, conf] = tf.tidy(() => {
      const raw = tf.tensor2d(grid, [size * size, 2]);
      const g = stats ? applyStats(raw, stats) : raw;
      const outs = forwardAll(this.state.params, this.problem.net, g);
      const p = tf.softmax(outs[outs.length - 1]);
      return [tf.argMax(p, 1), tf.max(p, 1)];
    });
    const classes = Uint8Array.from(cls.dataSync());
    const confidence = Float32Array.from(conf.dataSync());
    tf.dispose([cls, conf]);
    return { size, xMin, xMax, yMin, yMax, classes, confidence, iteration: this.iteration };
  }

  /** Lifted methods: one hidden unit's lifted activations now (Algorithm.liftedView); null if the method keeps none. */
  liftedView(layer: number, unit: number): LiftedView | null {
    return this.algorithm.liftedView?.(this.state, layer, unit) ?? null;
  }

  /** Image datasets: confusion matrix, mistakes, first-layer filters and test image `imageIndex`'s feature maps now. */
  imageViews(imageIndex: number): ImageViews | null {
    if (!isImageDataset(this.experiment.dataset) || !allFinite(this.state.params)) return null;
    return computeImageViews(this.state.params, this.problem.net, this.problem, this.experiment.dataset, imageIndex, this.iteration);
  }

  weights(): { sizes: number[]; flat: number[] } {
    return { sizes: this.problem.net.sizes, flat: Array.from(flattenParams(this.state.params)) };
  }

  dispose(): void {
    this.algorithm.dispose(this.state);
    disposeProblem(this.problem);
  }
}

const allFiniteCheap = (loss: number) => Number.isFinite(loss);

function effectiveBatch(p: Problem): number {
  const n = p.data.xTrain.shape[0];
  return p.batchSize <= 0 || p.batchSize >= n ? n : p.batchSize;
}
