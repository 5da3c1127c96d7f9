import type { LabFunction, Vec2 } from '../../engine/landscape/functions';
import { lineSearchTrajectory, type Trajectory } from '../../engine/landscape/trajectories';
import type { LabMethodSpec } from '../lab';
import { minimizeCg } from './cg';

const GTOL = 1e-12;

/** CG (PR+, strong Wolfe) from `start` on the exact gradient: the same core as on the network (cg.ts). */
export function cgTrajectory(fn: LabFunction, start: Vec2, iterations: number, c2: number): Trajectory {
  return lineSearchTrajectory(minimizeCg(([x, y]) => ({ f: fn.f(x, y), g: fn.grad(x, y) }), start, { maxIterations: iterations, gtol: GTOL, c2 }), GTOL);
}

/** CG in the landscape lab: iterations = line searches; the trial points are drawn. */
export const CG_LAB: LabMethodSpec = {
  id: 'cg',
  label: 'CG (PR+, strong Wolfe)',
  knobs: ['c2'],
  drawsTrials: true,
  trajectory: (fn, start, run, iterations) => cgTrajectory(fn, start, iterations, run.c2),
};
