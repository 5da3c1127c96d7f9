import type { Experiment } from '../engine/experiment';
import type { AlgorithmSpec } from '../engine/hyper';
import type { Preset } from '../presets/preset';

/**
 * Everything the main thread knows about one method folder, as plain data: no tensor code, no React, so the URL
 * codec, the presets and the UI can all read it. The folder's `index.ts` exports one of these; src/methods/
 * registry.ts lists them. The engine side (the Algorithm) is listed separately in src/methods/algorithms.ts,
 * which only the worker and Node code import.
 */
export interface MethodEntry {
  /** The algorithms this folder offers in the run menu, in menu order (usually one). */
  specs: AlgorithmSpec[];
  /** The folder's presets, shown in the gallery. */
  presets?: Preset[];
  /**
   * What the method's update is defined for, checked before anything runs (src/url/semantic.ts, the same for
   * links, JSON files and UI edits): one message per problem with run `runIndex` of `e`, each starting
   * `runs[i]`. Absent = any network and dataset.
   */
  checkRun?: (e: Experiment, runIndex: number) => string[];
}
