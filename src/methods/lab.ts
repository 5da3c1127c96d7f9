import type { LabRun } from '../engine/landscape/config';
import type { LabFunction, Vec2 } from '../engine/landscape/functions';
import type { Trajectory } from '../engine/landscape/trajectories';

/**
 * How a method takes part in the landscape lab, as data: its id in links (LabRun.method), its label, which of
 * the LabRun knobs the lab shows for it, and its trajectory on a 2-D problem (plain float64 JS, pure: it runs
 * outside React, from the same update rules and line search as the method's network version). The lab UI and
 * the URL validation know no method by name.
 */
export type LabKnob = 'lr' | 'momentum' | 'noise' | 'swapAt' | 'c2';

export interface LabMethodSpec {
  id: string;
  label: string;
  knobs: LabKnob[];
  /** Label of the step-size knob ("Adam step"), and its slider's upper end. */
  lrLabel?: string;
  lrMax?: number;
  /** Defaults beyond the shared ones (LAB_RUN_BASE in engine/landscape/config.ts). */
  defaults?: Partial<Omit<LabRun, 'method'>>;
  /** The trajectory draws line-search trial points (for the legend text). */
  drawsTrials?: boolean;
  /** The trajectory marks a swap between phases (Trajectory.swapIndex); the legend calls it this. */
  swapLabel?: string;
  /** `stream` seeds the gradient noise (the lab passes the run's index), so a scrubbed run keeps its noise. */
  trajectory(fn: LabFunction, start: Vec2, run: LabRun, iterations: number, stream: number): Trajectory;
}
