import { adamPath, chainTrajectories } from '../../engine/landscape/trajectories';
import { cgTrajectory } from '../cg/lab';
import type { LabMethodSpec } from '../lab';

/**
 * Adam → CG in the landscape lab (algorithms.md §2): Adam for swapAt iterations, then CG from Adam's last iterate
 * with Adam's moments discarded. The lab swaps at a fixed iteration (the notes' manual override), not by the
 * detector.
 */
export const TWO_PHASE_LAB: LabMethodSpec = {
  id: 'adamcg',
  label: 'Adam → CG',
  knobs: ['lr', 'noise', 'swapAt', 'c2'],
  lrLabel: 'Adam step',
  defaults: { lr: 0.1 },
  drawsTrials: true,
  swapLabel: 'Adam → CG swap',
  trajectory: (fn, start, run, iterations, stream) => {
    const swap = Math.min(run.swapAt, iterations);
    return chainTrajectories(adamPath(fn, start, run, swap, stream), (from) => cgTrajectory(fn, from, Math.max(0, iterations - swap), run.c2));
  },
};
