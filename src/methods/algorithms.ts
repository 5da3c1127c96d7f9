import type { Algorithm, AlgorithmState } from '../engine/types';
import { sgdAlgorithm } from './sgd/sgd';
import { adamAlgorithm } from './adam/adam';
import { viAlgorithm } from './monotoneVi/monotoneVi';
import { mdlamAlgorithm, mdlamCoupledAlgorithm } from './mdlam/mdlam';
import { fenchelAlgorithm } from './fenchel/fenchel';
import { cgAlgorithm, twoPhaseAlgorithm } from './twoPhase/twoPhase';

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
