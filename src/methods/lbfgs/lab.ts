import { lineSearchTrajectory } from '../../engine/landscape/trajectories';
import type { LabMethodSpec } from '../lab';
import { DEFAULT_LBFGS, minimizeLbfgs } from './lbfgs';

const GTOL = 1e-12;

/**
 * L-BFGS in the landscape lab: the same core as on the network (lbfgs.ts) on the exact gradient, iterations = line
 * searches, trial points drawn. In two dimensions any memory m ≥ 2 keeps every useful pair, so m is the default.
 */
export const LBFGS_LAB: LabMethodSpec = {
  id: 'lbfgs',
  label: 'L-BFGS (strong Wolfe)',
  knobs: ['c2'],
  defaults: { c2: DEFAULT_LBFGS.c2 },
  drawsTrials: true,
  trajectory: (fn, start, run, iterations) =>
    lineSearchTrajectory(minimizeLbfgs(([x, y]) => ({ f: fn.f(x, y), g: fn.grad(x, y) }), start, { maxIterations: iterations, gtol: GTOL, c2: run.c2 }), GTOL),
};
