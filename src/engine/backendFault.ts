import type { MetricPoint } from './types';

/**
 * A backend that computes wrong numbers (issue 32), as the engine reports it: the worker moves such a run to the
 * next backend (trainer.worker.ts) instead of showing the numbers or ending the run as "converged".
 */
export class BackendFaultError extends Error {}

/**
 * Why an evaluation's numbers cannot be right whatever the network, or null. Accuracy 0 means every row's arg-max
 * is a wrong class, so the true class has probability ≤ ½ and the cross-entropy of that row is ≥ log 2: a loss of
 * exactly 0 beside it is what a device that reads back zeros produces, never a trained classifier.
 */
export function impossibleEvaluation(point: Pick<MetricPoint, 'trainLoss' | 'trainAccuracy' | 'testLoss' | 'testAccuracy'>): string | null {
  if (point.trainLoss === 0 && point.trainAccuracy === 0) return 'the training loss and accuracy are both exactly 0, which no classifier can produce';
  if (point.testLoss === 0 && point.testAccuracy === 0) return 'the test loss and accuracy are both exactly 0, which no classifier can produce';
  return null;
}
