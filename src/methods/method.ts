import type { Experiment } from '../engine/experiment';
import type { AlgorithmSpec } from '../engine/hyper';
import type { Preset } from './preset';
import type { LabMethodSpec } from './lab';
import type { LiftedViewCapability, PanelSpec, RunStatusText } from './panel';

/**
 * Everything the main thread knows about one method folder, as plain data: no tensor code, no React, so the URL
 * codec, the presets and the UI can all read it. The folder's `index.ts` exports one of these; src/methods/
 * registry.ts lists them. The engine side (the Algorithm) is listed separately in src/methods/algorithms.ts,
 * which only the worker and Node code import.
 */
export interface MethodEntry {
  /** The algorithms this folder offers in the run menu, in menu order (usually one). */
  specs: AlgorithmSpec[];
  /** The folder's presets and the gallery section they open (presets may also name another section). */
  presets?: Preset[];
  gallerySection?: { id: string; title: string };
  /** Diagnostic panels, drawn when a run of the comparison uses one of `specs` (panel ids are unique). */
  panels?: PanelSpec[];
  /** The run card's status line (phases). */
  status?: RunStatusText;
  /** The method keeps lifted activations (the lifted-activations panel offers its runs). */
  liftedView?: LiftedViewCapability;
  /** The method's entries in the landscape lab's method menu. */
  lab?: LabMethodSpec[];
  /**
   * What the method's update is defined for, checked before anything runs (src/url/semantic.ts, the same for
   * links, JSON files and UI edits): one message per problem with run `runIndex` of `e`, each starting
   * `runs[i]`. Absent = any network and dataset.
   */
  checkRun?: (e: Experiment, runIndex: number) => string[];
}
