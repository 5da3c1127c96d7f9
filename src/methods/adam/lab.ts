import { adamPath } from '../../engine/landscape/trajectories';
import type { LabMethodSpec } from '../lab';

/** Adam in the landscape lab (the engine's Adam rule on the exact or noisy gradient). */
export const ADAM_LAB: LabMethodSpec = {
  id: 'adam',
  label: 'Adam',
  knobs: ['lr', 'noise'],
  lrLabel: 'Adam step',
  defaults: { lr: 0.1 },
  trajectory: (fn, start, run, iterations, stream) => adamPath(fn, start, run, iterations, stream),
};
