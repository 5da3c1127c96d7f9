import type { StateCreator } from 'zustand';
import type { Experiment, RunConfig } from '../engine/experiment';
import type { LandscapeConfig } from '../engine/landscape/config';
import type { SliceRequest } from '../engine/landscape/slice';
import type { JobSummary } from '../sweeps/stats';
import type { FaultInjection, FromWorker } from '../workers/protocol';
import type { Progress } from '../workers/scheduler';
import type { ProbeState } from './backendChoice';
import type { RunView } from './runReducer';

/**
 * The shape of the UI store (src/state/store.ts), one interface per slice. Each slice's state and actions are
 * implemented in its own file (experimentSlice.ts, runsSlice.ts, sweepsSlice.ts, labSlice.ts, uiSlice.ts); the interfaces live
 * here, together, because a slice's actions call other slices' actions and the files must not import each other
 * (no import cycles, .dependency-cruiser.cjs). State changes only through these actions.
 */

/** Why all runs were paused by the experiment's pauseOn (shown as a caption; cleared by Run, Reset or a new experiment). */
export interface PauseInfo {
  runIndex: number;
  eventId: string;
  label: string;
  iteration: number;
}

/** What the "About this method" view shows: a method's page, with the hyperparameters of a run or of a preset. */
export interface AboutRequest {
  algorithm: string;
  /** A page by name (src/methods/<name>/<page>.md, or docs/methods/index.md) instead of the algorithm's own, e.g. from a link between pages. */
  page?: string;
  hyper?: Record<string, number | string | boolean>;
  /** 'run': values of a live run card; 'defaults': catalogue or preset values (the page says so). */
  source: 'run' | 'defaults';
}

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

/** A worker's answer to 'lifted-view' (view null: the method keeps no lifted activations; error: bad layer/unit). */
export type LiftedViewReply = Omit<Extract<FromWorker, { type: 'lifted-view-result' }>, 'type' | 'requestId'>;
/** A worker's answer to 'image-views' (views null: not an image dataset, or weights not finite). */
export type ImageViewsReply = Omit<Extract<FromWorker, { type: 'image-views-result' }>, 'type' | 'requestId'>;
/** A worker's answer to 'slice' (error set when it failed). */
export type SliceReply = Omit<Extract<FromWorker, { type: 'slice-result' }>, 'type' | 'requestId'>;

/** The experiment: the single source of truth, mirrored in the URL. Every edit is validated before it applies. */
export interface ExperimentSlice {
  experiment: Experiment;
  /**
   * The preset this experiment came from (src/url/presetFor.ts at the last load of a preset, link or file), kept
   * while it is edited so that the page can say "edited from preset X"; null when it came from no preset.
   */
  presetOrigin: string | null;
  /** Replace the experiment: the runs start over, the lecture from its first step unless it is the same lecture. */
  setExperiment(e: Experiment): void;
  updateExperiment(edit: (draft: Experiment) => void): void;
  loadPreset(id: string): void;
  addRun(algorithm: string): void;
  removeRun(index: number): void;
  updateRun(index: number, run: RunConfig): void;
  /** Name a run (empty: the automatic name) or title the experiment; neither restarts the runs. */
  renameRun(index: number, label: string): void;
  setTitle(title: string): void;
  /** View settings (axis, log scale, smoothing) change the plots only, never the running workers. */
  setView(patch: Partial<Experiment['view']>): void;
}

/**
 * The live runs: one worker each (src/workers/liveRuns.ts), metrics appended in place and signalled by a version
 * counter so that long runs do not copy 100k-point arrays on every batch; the one request/reply to the workers.
 */
export interface RunsSlice {
  runs: RunView[];
  hiddenRuns: boolean[];
  pausedAt: PauseInfo | null;
  /** Fault injection for robustness tests (set from the URL's test-only `fault` parameter). */
  faults: (FaultInjection | undefined)[];
  run(): Promise<void>;
  pause(): void;
  step(count?: number): Promise<void>;
  /** End every worker and start the experiment's runs over from idle. */
  reset(): void;
  restartRun(index: number): Promise<void>;
  /**
   * Ready one spare worker per run (src/workers/liveRuns.ts) while every run is idle, so that Run does not wait for
   * workers to load; from the first call on, every reset readies them again.
   */
  prewarmWorkers(): void;
  toggleRunVisible(index: number): void;
  /** Test-only fault injection (robustness e2e), from the link's `fault` parameter. */
  setFaults(faults: (FaultInjection | undefined)[]): void;
  /** Trained weights of every run (null for runs without a live worker), for the JSON export. */
  requestWeights(timeoutMs?: number): Promise<({ sizes: number[]; flat: number[] } | null)[]>;
  /** Lifted methods: one hidden unit's lifted activations of run `index` now; null without a live worker or on timeout. */
  requestLiftedView(index: number, layer: number, unit: number, timeoutMs?: number): Promise<LiftedViewReply | null>;
  /** Image datasets: run `index`'s confusion matrix, mistakes, filters and test image `image`'s feature maps now. */
  requestImageViews(index: number, image: number, timeoutMs?: number): Promise<ImageViewsReply | null>;
  /** A loss-landscape slice through (or a projection onto the plane of) a finished run's weights. */
  requestSlice(index: number, request: SliceRequest, timeoutMs?: number): Promise<SliceReply | null>;
}

/** What the worker pool is busy with: every seed replicate of every run, or a tuning sweep. */
export type SweepActivity = 'seeds' | 'sweep';

/** The comparison protocol's live state (its configuration is the experiment's, experiment.protocol). */
export interface SweepsView {
  /** Job results by job key (src/sweeps/jobs.ts), read through src/sweeps/results.ts. */
  results: Record<string, JobSummary>;
  progress: Progress | null;
  activity: SweepActivity | null;
  /** Workers of the pool (it keeps the size it was made with, on its first job). */
  poolSize: number;
}

/**
 * Seeds and sweeps on the worker pool (src/workers/pool.ts), whose workers come from the same factory as the live
 * runs'. Results reach the store in batches (a sweep finishes several jobs a second).
 */
export interface SweepsSlice {
  sweeps: SweepsView;
  /**
   * ▶ Run (the button and Space): the live runs and, when the experiment asks for several seeds, their replicates on
   * the pool too (only on a fresh start, not while the pool is busy or a field holds an unapplied value).
   */
  runComparison(): Promise<void>;
  /** Every seed replicate of every run on the pool; `quiet`: say nothing when all are computed already (▶ Run). */
  runSeeds(options?: { quiet?: boolean }): void;
  runSweep(): void;
  pauseSweeps(): void;
  resumeSweeps(): void;
  /** Drop the queue and end the running jobs (their partial results are discarded). */
  cancelSweeps(): void;
  /** Add the best setting of the sweep for run `runIndex` as a new run of the comparison, labelled with its tuning cost. */
  promoteBest(runIndex: number): void;
  /** Workers of the pool, set before its first job; bench/pool.mjs compares sizes. */
  setPoolSize(size: number): void;
}

/**
 * The landscape lab: its configuration is part of the experiment (experiment.landscape, in the link), but its
 * edits never reset the training runs (a network slice needs the finished runs).
 */
export interface LabSlice {
  /** Replace the landscape-lab part of the experiment; the training runs are kept. */
  setLandscape(landscape: LandscapeConfig): void;
  /** Validated edit (form fields): refused with a notice if it would make the experiment invalid. */
  updateLandscape(edit: (draft: LandscapeConfig) => void): void;
  /** Fast path for sliders and dragging (values already in range by construction): no validation round trip. */
  setLandscapeLive(patch: Partial<LandscapeConfig>): void;
  setLabOpen(open: boolean): void;
}

/** View state that is not part of the experiment: presentation mode, overlays, messages, the lecture step. */
export interface UiSlice {
  notices: Notice[];
  presentation: boolean;
  /** The accuracy axis zoomed to the data instead of 0 … 1 (a view choice, not part of the experiment). */
  accuracyZoom: boolean;
  /** Presentation mode's stage: the plot chosen for the second slot (by id), and which slot fills the stage. */
  stageSecond: string | null;
  stageEnlarged: 'loss' | 'second' | null;
  helpOpen: boolean;
  /** The automatic backend probe of this page (src/state/backendChoice.ts). */
  probe: ProbeState;
  about: AboutRequest | null;
  /** Plot id whose explanation (the (i) beside a plot) is open. */
  plotInfo: string | null;
  /** Index of the lecture step shown in presentation mode (presets with steps, see presets/index.ts). */
  lectureStep: number;
  setPresentation(on: boolean): void;
  setAccuracyZoom(on: boolean): void;
  /** The next of `ids` (the second slot's choices, in order) after the current one. */
  cycleStageSecond(ids: string[]): void;
  /** Both slots → the loss enlarged → the second slot enlarged → both slots. */
  cycleStageEnlarged(): void;
  setHelp(open: boolean): void;
  setAbout(about: AboutRequest | null): void;
  setPlotInfo(id: string | null): void;
  /** Show lecture step `index` of the experiment's lecture (clamped to its steps). */
  setLectureStep(index: number): void;
  notify(kind: Notice['kind'], text: string): void;
  dismissNotice(id: number): void;
}

export type StoreState = ExperimentSlice & RunsSlice & SweepsSlice & LabSlice & UiSlice;

/** One slice's part of the store, with the whole store's get/set (zustand's slices pattern). */
export type SliceCreator<T> = StateCreator<StoreState, [['zustand/subscribeWithSelector', never]], [], T>;
