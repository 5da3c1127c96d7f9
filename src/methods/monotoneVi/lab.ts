import { momentumPath, noisy } from '../../engine/landscape/trajectories';
import type { LabMethodSpec } from '../lab';

/**
 * The monotone field step in the landscape lab: the engine's heavy-ball rule on the field F (GLM problems); the
 * theory's rule is the plain step θ ← θ − γF (algorithms.md §1), so momentum defaults to 0.
 */
export const VI_LAB: LabMethodSpec = {
  id: 'vi',
  label: 'Monotone field step (VI)',
  knobs: ['lr', 'momentum', 'noise'],
  lrMax: 50,
  defaults: { lr: 2, momentum: 0 },
  trajectory: (fn, start, run, iterations, stream) => {
    if (!fn.field) {
      const t = momentumPath(fn, noisy(fn.grad, run.noise, stream), start, run.lr, run.momentum, iterations);
      return { ...t, note: 'no monotone field on this problem: this is the gradient' };
    }
    return momentumPath(fn, noisy(fn.field, run.noise, stream), start, run.lr, run.momentum, iterations);
  },
};
