import type { BinaryLoader } from '../engine/data/build';
import type { Experiment } from '../engine/experiment';
import { TrainingRun, type RunLimits } from '../engine/runner';
import type { Algorithm, AlgorithmState } from '../engine/types';
import { sgdAlgorithm } from './sgd/sgd';
import { adamAlgorithm } from './adam/adam';
import { viAlgorithm } from './monotoneVi/monotoneVi';
import { mdlamAlgorithm, mdlamCoupledAlgorithm } from './mdlam/mdlam';
import { fenchelAlgorithm } from './fenchel/fenchel';
import { cgAlgorithm } from './cg/cgNetwork';
import { twoPhaseAlgorithm } from './twoPhase/twoPhase';
import { lbfgsAlgorithm } from './lbfgs/lbfgsNetwork';

/**
 * Algorithm implementations by catalogue id (worker and Node side; registry.ts holds the matching plain-data
 * specs). Each entry keeps its own state type; the runner only passes a state back to the algorithm that made it,
 * hence the one widening cast in `entry`.
 */
const entry = <S extends AlgorithmState>(a: Algorithm<S>): [string, Algorithm<AlgorithmState>] => [a.id, a as unknown as Algorithm<AlgorithmState>];

const IMPLEMENTATIONS = new Map<string, Algorithm<AlgorithmState>>([
  entry(sgdAlgorithm),
  entry(adamAlgorithm),
  entry(mdlamAlgorithm),
  entry(mdlamCoupledAlgorithm),
  entry(viAlgorithm),
  entry(fenchelAlgorithm),
  entry(twoPhaseAlgorithm),
  entry(cgAlgorithm),
  entry(lbfgsAlgorithm),
]);

export function getAlgorithm(id: string): Algorithm<AlgorithmState> {
  const a = IMPLEMENTATIONS.get(id);
  if (!a) throw new Error(`unknown algorithm "${id}"`);
  return a;
}

/** Every implemented id (a test checks it matches the catalogue). */
export function implementedIds(): string[] {
  return [...IMPLEMENTATIONS.keys()];
}

/** A training run of run `runIndex` of `e` on its method's implementation (what the worker, the tests and the benchmarks start). */
export function startTrainingRun(e: Experiment, runIndex: number, load: BinaryLoader, limits: RunLimits = {}): Promise<TrainingRun> {
  const run = e.runs[runIndex];
  if (!run) return Promise.reject(new Error(`experiment has no run #${runIndex}`));
  return TrainingRun.create(e, runIndex, getAlgorithm(run.algorithm), load, limits);
}
