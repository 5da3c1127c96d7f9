import type { Experiment } from '../engine/experiment';

/**
 * A preset is an Experiment plus a short text on what to look at; it becomes a URL like any other experiment.
 * Method presets live in their method's folder (src/methods/<name>/presets.ts).
 */
export interface Preset {
  id: string;
  title: string;
  /** What to look at, in two or three sentences; claims only what was measured. */
  lookFor: string;
  /** The gallery section it is shown in: a shared one (src/presets/index.ts) or a method folder's. */
  section: string;
  experiment: Experiment;
  /** Lecture steps, shown one at a time as a caption in presentation mode (← → move between them). */
  steps?: LectureStep[];
}

/**
 * One lecture step: a sentence or two for the audience. `at` names a pause-on event (experiment.pauseOn): when
 * the runs pause at it, the caption jumps to this step.
 */
export interface LectureStep {
  text: string;
  at?: string;
  /**
   * The plot the step talks about, by the stage's second-slot id ('accuracy', 'boundaries' or a method panel's id):
   * presentation mode shows it while the step is current (a caption must not point at a plot that is not on the stage).
   */
  show?: string;
}
