import { momentumPath, noisy } from '../../engine/landscape/trajectories';
import type { LabMethodSpec } from '../lab';

/** Heavy-ball gradient descent in the landscape lab (the engine's momentum rule on the exact or noisy gradient). */
export const SGD_LAB: LabMethodSpec = {
  id: 'gd',
  label: 'GD / SGD + momentum',
  knobs: ['lr', 'momentum', 'noise'],
  defaults: { lr: 0.05 },
  trajectory: (fn, start, run, iterations, stream) => momentumPath(fn, noisy(fn.grad, run.noise, stream), start, run.lr, run.momentum, iterations),
};
