import * as tf from '@tensorflow/tfjs';
import { Batcher } from '../../engine/batcher';
import {
  activationSweep,
  disposeTerms,
  forwardActivations,
  liftedTerms,
  unitActivations,
  weightSweep,
  type BlockRecord,
  type InnerSolver,
  type LiftedWeights,
  type NormBound,
  normBound,
  liftedLayers,
  type LiftedLayers,
} from './blocks';
import { lossAndGrad, stagesOf } from '../../engine/model';
import { cloneParams, disposeParams, paramTensors, sumSquares } from '../../engine/params';
import { readAndDispose } from '../../engine/scalars';
import type { Algorithm, AlgorithmState, Hyper, LiftedView, Problem, StepResult } from '../../engine/types';
import { hyperReader } from '../../engine/hyper';
import type { ExtraOf } from '../../engine/diagnostics';
import { FENCHEL_DIAGNOSTICS as D } from './fenchel.diagnostics';
import { FENCHEL_MAX_POOL, FENCHEL_SPEC } from './fenchel.hyper';

/**
 * Fenchel lifted networks trained by block-coordinate descent (algorithms.md §4).
 *
 * One step = one BCD sweep: activation blocks last to first, then weight blocks first to last, each solved by
 * `innerSteps` projected-gradient (or monotone FISTA) steps of size 1/Lip (lifted/fenchel.ts). Cost unit: one sweep
 * over all blocks on the step's data = 1 (a mini-batch sweep counts B/N).
 *
 * Full-batch mode (default, the notes' playground mode): the lifted activations persist across sweeps, initialised
 * once from a forward pass. Mini-batch mode (the authors' code): each batch gets fresh activations from a forward pass
 * and one sweep; the proximal terms ρ_d anchor the weights to the previous batch's.
 *
 * Prediction is the ordinary forward pass with the learned W, b (model.ts), never the lifted activations.
 *
 * Step order choice for the lower-bound check (the notes say the lifted value must sit below the ordinary loss at
 * the optimum of each block): after the activation sweep at weights W_k we record J_data(W_k, A) (J without the
 * ridge) as `liftedAtBlockOptimum` beside the forward loss at the same W_k, `forwardLossAtSameWeights`.
 */

/** Fenchel lifted BCD's options (fenchel.hyper.ts), parsed once at init. */
export interface FenchelOptions {
  lambda: number;
  /** λ_k = λ_0·growth^k up to the cap, when on. */
  lambdaSchedule: boolean;
  lambdaGrowth: number;
  lambdaCap: number;
  c: number;
  rho: number;
  rhoD: number;
  rhoDOut: number;
  innerSteps: number;
  solver: InnerSolver;
  lipschitz: 'spectral' | 'frobenius';
  initBias: number;
}

export function parseFenchel(hyper: Hyper): FenchelOptions {
  const h = hyperReader(FENCHEL_SPEC, hyper);
  return {
    lambda: h.number('lambda'),
    lambdaSchedule: h.flag('lambdaSchedule'),
    lambdaGrowth: h.number('lambdaGrowth'),
    lambdaCap: h.number('lambdaCap'),
    c: h.number('c'),
    rho: h.number('rho'),
    rhoD: h.number('rhoD'),
    rhoDOut: h.number('rhoDOut'),
    innerSteps: Math.max(1, h.int('innerSteps')),
    solver: h.choice<InnerSolver>('solver'),
    lipschitz: h.choice<'spectral' | 'frobenius'>('lipschitz'),
    initBias: h.number('initBias'),
  };
}

export interface FenchelState extends AlgorithmState {
  problem: Problem;
  options: FenchelOptions;
  batcher: Batcher;
  /** Lifted hidden activations A_1..A_{L−1} on the full training set (full-batch mode), else []. */
  acts: tf.Tensor2D[];
  lambdas: number[];
  cost: number;
  /** Forward training loss at the current weights (full batch), for the next sweep's lower-bound check. */
  forwardLoss: number;
  /** Lifted objective J after the previous sweep and the λ it was measured with (for `liftedRose`). */
  prevLifted: number;
  prevLambda: number;
  /** Squared-norm bounds of the blocks' Lipschitz constants (spectral: keeps the power-iteration vectors warm). */
  norms: NormBound;
  /** The network's layers as the blocks see them (dense products, or convolutions with their average pooling). */
  layers: LiftedLayers;
}

function weightsFor(s: FenchelState): LiftedWeights {
  const o = s.options;
  return { lambdas: s.lambdas, c: o.c, rho: o.rho, rhoD: o.rhoD, rhoDOut: o.rhoDOut };
}

/** λ_k = λ_0·growth^k, capped (schedule on), else λ_0; the same for every hidden layer. */
export function lambdaAt(o: Pick<FenchelOptions, 'lambda' | 'lambdaSchedule' | 'lambdaGrowth' | 'lambdaCap'>, k: number): number {
  const l0 = o.lambda;
  if (!o.lambdaSchedule) return l0;
  return Math.min(l0 * Math.pow(o.lambdaGrowth, k), Math.max(o.lambdaCap, l0));
}

function checkNetwork(p: Problem): void {
  const n = p.net;
  const hidden = stagesOf(n).slice(0, -1);
  if (hidden.some((st) => st.activation !== 'relu') || n.outputLink !== 'softmax' || n.loss !== 'ce') {
    throw new Error('Fenchel lifted BCD needs ReLU hidden layers and a softmax cross-entropy output (algorithms.md §4)');
  }
  if (hidden.some((st) => st.kind === 'conv' && st.pools.some((pool) => pool.kind === 'max'))) throw new Error(FENCHEL_MAX_POOL);
  if (n.weightDecay) throw new Error('Fenchel lifted BCD has its own ridge ρ; the network\'s weight decay is not part of its blocks');
  if (p.frozenBelow > 0) throw new Error('Fenchel lifted BCD trains every layer (frozen layers are not supported)');
}

function init(problem: Problem, hyper: Hyper, seed: number): FenchelState {
  checkNetwork(problem);
  const options = parseFenchel(hyper);
  const bias = options.initBias;
  const params = cloneParams(problem.initialParams);
  for (const layer of params) {
    const old = layer.b;
    layer.b = tf.fill(old.shape, bias) as tf.Tensor1D;
    old.dispose();
  }
  const batcher = new Batcher(problem.data.xTrain, problem.data.yTrain, problem.batchSize, seed);
  const L = params.length;
  const layers = liftedLayers(problem.net);
  const lambda = lambdaAt(options, 0);
  const s: FenchelState = {
    params,
    iteration: 0,
    problem,
    options,
    batcher,
    acts: batcher.full ? forwardActivations(params, problem.data.xTrain, layers) : [],
    lambdas: new Array(Math.max(0, L - 1)).fill(lambda),
    cost: 0,
    forwardLoss: NaN,
    prevLifted: NaN,
    prevLambda: lambda,
    // §5 (Fenchel row): the reference steps with spectral-norm Lipschitz bounds; 'frobenius' is the cheaper, shorter one.
    norms: normBound(options.lipschitz),
    layers,
  };
  if (batcher.full) {
    const { loss, grads } = lossAndGrad(params, problem.net, problem.data.xTrain, problem.data.yTrain);
    disposeParams(grads);
    s.forwardLoss = readAndDispose([loss])[0];
  }
  return s;
}

/** Relative tolerance for "a block objective rose": float32 evaluation noise of sums over N·d entries. */
const RISE_TOL = 1e-5;

function rose(before: number, after: number): boolean {
  return after > before + RISE_TOL * Math.abs(before) + 1e-9;
}

function step(s: FenchelState): StepResult<FenchelState> {
  const { problem } = s;
  const { innerSteps: steps, solver } = s.options;
  const lambda = lambdaAt(s.options, s.iteration);
  s.lambdas = s.lambdas.map(() => lambda);
  const w = weightsFor(s);

  const batch = s.batcher.next();
  const full = s.batcher.full;
  const acts = full ? s.acts : forwardActivations(s.params, batch.x, s.layers);
  const L = s.params.length;

  const actRecords = activationSweep(s.params, acts, batch.x, batch.y, w, steps, solver, s.norms, s.layers);
  // Lower-bound check at the weights the activations were optimised for (W_k).
  const atOpt = liftedTerms(s.params, acts, batch.x, batch.y, w, s.layers);
  const liftedAtOpt = tf.sub(atOpt.objective, atOpt.ridge) as tf.Scalar;
  disposeTerms(atOpt);
  const weightRecords = weightSweep(s.params, acts, batch.x, batch.y, w, steps, solver, s.norms, s.layers);
  const terms = liftedTerms(s.params, acts, batch.x, batch.y, w, s.layers);
  const fwd = lossAndGrad(s.params, problem.net, batch.x, batch.y);
  const gradNormSq = sumSquares(paramTensors(fwd.grads));
  disposeParams(fwd.grads);

  const records: BlockRecord[] = [...actRecords, ...weightRecords];
  const scalars: tf.Tensor[] = [
    terms.objective,
    terms.ridge,
    terms.ce,
    fwd.loss,
    gradNormSq,
    liftedAtOpt,
    ...terms.meanB,
    ...terms.mismatch,
    ...records.flatMap((r) => [r.before, r.after]),
  ];
  const v = readAndDispose(scalars);
  tf.dispose(terms.penalty);
  if (!full) {
    tf.dispose(acts);
    if (batch.owned) tf.dispose([batch.x, batch.y]);
  }

  const [lifted, ridge, liftedCE, forwardLoss, g2, liftedAtBlockOptimum] = v;
  const H = L - 1;
  const extra: ExtraOf<typeof D> = {
    liftedObjective: lifted,
    liftedData: lifted - ridge,
    ridge,
    liftedCE,
    forwardLoss,
    liftedAtBlockOptimum,
    lambda,
  };
  if (full) extra.forwardLossAtSameWeights = s.forwardLoss;
  for (let l = 1; l <= H; l++) {
    extra[D.layer.B.key(l)] = v[6 + l - 1];
    extra[D.layer.mismatch.key(l)] = v[6 + H + l - 1];
  }
  let anyRose = false;
  let maxRelRise = -Infinity;
  records.forEach((r, i) => {
    const before = v[6 + 2 * H + 2 * i];
    const after = v[6 + 2 * H + 2 * i + 1];
    if (rose(before, after)) anyRose = true;
    maxRelRise = Math.max(maxRelRise, (after - before) / Math.max(Math.abs(before), 1e-12));
    extra[(r.kind === 'activation' ? D.layer.actBlockDrop : D.layer.weightBlockDrop).key(r.layer)] = before - after;
  });
  extra.blockMaxRelChange = maxRelRise;
  if (anyRose) extra.blockRose = 1;
  // J is monotone across sweeps only when every block is an exact block of J (c = 1), λ did not change and the
  // data did not change (full batch).
  if (full && s.options.c === 1 && lambda === s.prevLambda && Number.isFinite(s.prevLifted) && rose(s.prevLifted, lifted)) {
    extra.liftedRose = 1;
  }

  s.prevLifted = lifted;
  s.prevLambda = lambda;
  s.forwardLoss = forwardLoss;
  s.iteration++;
  s.cost += s.batcher.fraction;
  return { state: s, metrics: { loss: forwardLoss, gradNorm: Math.sqrt(g2), cost: s.cost, extra } };
}

function dispose(s: FenchelState): void {
  disposeParams(s.params);
  s.norms.dispose();
  tf.dispose(s.acts);
  s.acts = [];
}

/** Algorithm.liftedView: null in mini-batch mode, where no lifted activations persist between sweeps. */
function liftedView(s: FenchelState, layer: number, unit: number): LiftedView | null {
  if (!s.batcher.full) return null;
  const { x, ...cols } = liftedActivations2D(s, layer, unit);
  return { layer, unit, x, inputDim: s.problem.data.xTrain.shape[1], ...cols };
}

export const fenchelAlgorithm: Algorithm<FenchelState, FenchelOptions> = { id: 'fenchel', parse: parseFenchel, init, step, dispose, liftedView };

/**
 * The lifted activations of the 2-D training points for one hidden unit (full-batch mode), for the UI to draw:
 * `lifted` = A_l[:, unit], `reluOfLifted` = ReLU(Z_l)[:, unit] with Z_l from the lifted layer below, and `forward`
 * = the ordinary forward-pass activation; `x` = the training inputs (N × 2 row-major). Layer l is 1-based.
 */
export function liftedActivations2D(
  s: FenchelState,
  layer: number,
  unit: number,
): { x: Float32Array; lifted: Float32Array; reluOfLifted: Float32Array; forward: Float32Array } {
  if (!s.batcher.full) throw new Error('lifted activations persist only in full-batch mode');
  const xTrain = s.problem.data.xTrain;
  const r = unitActivations(s.params, s.acts, xTrain, layer, unit);
  return { x: xTrain.dataSync() as Float32Array, ...r };
}
