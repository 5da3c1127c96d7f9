import type { Algorithm, AlgorithmState } from '../types';
import { adamAlgorithm, sgdAlgorithm } from './firstOrder';
import { viAlgorithm } from './monotoneVi';
import { mdlamAlgorithm } from './mdlam';
import { fenchelAlgorithm } from './fenchel';
import { cgAlgorithm, twoPhaseAlgorithm } from './twoPhase';

/**
 * Algorithm implementations by catalogue id (worker side; catalog.ts holds the matching plain-data specs).
 * Adding a method: its own file, its spec in catalog.ts, and one line here.
 */
const IMPLEMENTATIONS: Record<string, Algorithm<AlgorithmState>> = {
  sgd: sgdAlgorithm as unknown as Algorithm<AlgorithmState>,
  adam: adamAlgorithm as unknown as Algorithm<AlgorithmState>,
  vi: viAlgorithm as unknown as Algorithm<AlgorithmState>,
  mdlam: mdlamAlgorithm as unknown as Algorithm<AlgorithmState>,
  fenchel: fenchelAlgorithm as unknown as Algorithm<AlgorithmState>,
  twophase: twoPhaseAlgorithm as unknown as Algorithm<AlgorithmState>,
  cg: cgAlgorithm as unknown as Algorithm<AlgorithmState>,
};

export function getAlgorithm(id: string): Algorithm<AlgorithmState> {
  const a = IMPLEMENTATIONS[id];
  if (!a) throw new Error(`unknown algorithm "${id}"`);
  return a;
}

