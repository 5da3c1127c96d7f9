import type { BackendName, ProbeResult } from '../engine/backend';
import type { Experiment } from '../engine/experiment';
import type { SliceRequest, SliceResult } from '../engine/landscape/slice';
import type { BoundaryGrid, LiftedView, MetricPoint } from '../engine/types';
import type { ImageViews } from '../engine/imageViews';
import type { RunLimits } from '../engine/runner';

/**
 * The one message protocol between the UI thread and a run's worker (a discriminated union on `type`).
 * Metrics are batched: the worker posts at most ~10 messages a second however fast it steps.
 */
export const PROTOCOL_VERSION = 1;

/** Engine-owned records the worker sends as they are (defined in engine/types.ts, re-exported for the wire). */
export type { BoundaryGrid, MetricPoint };

export type RunStatus = 'starting' | 'running' | 'paused' | 'finished' | 'diverged' | 'error' | 'stopped';

/** Test-only fault injection, used by the robustness tests; never set by the UI. */
export interface FaultInjection {
  /** The step loop throws at this iteration (caught: the run reports an error). */
  throwAtIteration?: number;
  /** An uncaught error is thrown this long after start (the worker's onerror path). */
  uncaughtAfterMs?: number;
  /** The backend is lost (as on a GPU context loss) when this iteration is reached. */
  loseBackendAtIteration?: number;
  /** These backends behave as if they failed to initialise. */
  failBackends?: BackendName[];
  /** These backends' self-check reads zeros (from `fromIteration` on, else from the start): they compute wrong numbers. */
  corruptBackends?: { backend: BackendName; fromIteration?: number }[];
}

export interface JobOptions extends RunLimits {
  /** Skip the decision-boundary grids (a pool job has no card to draw them on). */
  noBoundary?: boolean;
}

/** What a run's worker is started with (the 'start' message without its type and version). */
export interface StartRequest {
  experiment: Experiment;
  runIndex: number;
  backend: BackendName;
  /** Train at once; false: wait paused for 'step' or 'resume' (the Step button). */
  autoRun: boolean;
  fault?: FaultInjection;
  /** A worker-pool job (src/workers/pool.ts): a cost budget, and no decision-boundary grids. */
  job?: JobOptions;
  /** WASM threads for this run (1 unless it trains alone in a cross-origin-isolated page; fixed by the worker's first start). */
  wasmThreads?: number;
}

export type ToWorker =
  // A worker may be sent a new 'start' after its run has stopped (the pool reuses workers). Built by startMessage.
  | ({ type: 'start'; version: number } & StartRequest)
  // A spare worker readies itself before any run is pressed (src/workers/liveRuns.ts): the WASM/CPU backend
  // initialised with these threads (a GPU backend is only named: its initialisation is left to the run).
  | { type: 'warm-up'; backend: BackendName; wasmThreads: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step'; count: number }
  | { type: 'stop' }
  | { type: 'get-weights' }
  | { type: 'probe'; skip?: BackendName[] }
  // Landscape lab (src/engine/landscape/slice.ts): loss on a plane through `center` (default: this run's weights).
  | ({ type: 'slice'; requestId: number } & SliceRequest)
  // Lifted methods (Algorithm.liftedView): one hidden unit's lifted activations over the training set.
  | { type: 'lifted-view'; requestId: number; layer: number; unit: number }
  // Image datasets (engine/imageViews.ts): confusion matrix, mistakes, first-layer filters, test image `image`'s feature maps.
  | { type: 'image-views'; requestId: number; image: number };

export type FromWorker =
  /** threads: WASM threads in use (1 on other backends). */
  | { type: 'ready'; backend: BackendName; threads: number; notices: string[]; paramCount: number; setupMs: number }
  /** The backend was lost mid-run; the run starts again from iteration 0 on `backend` (earlier points are void). */
  | { type: 'restarted'; backend: BackendName; notice: string; notices: string[] }
  | { type: 'metrics'; points: MetricPoint[] }
  | { type: 'boundary'; grid: BoundaryGrid }
  | { type: 'status'; status: RunStatus; iteration: number; message?: string }
  | { type: 'weights'; sizes: number[]; flat: number[] }
  | { type: 'probe-result'; result: ProbeResult }
  // Landscape lab: the slice grid (if asked) and this run's snapshots projected onto the plane.
  | ({ type: 'slice-result'; requestId: number; backend: string; error?: string } & Partial<SliceResult>)
  // view is null when the method keeps no lifted activations (not a lifted method, or one that keeps none in mini-batch mode).
  | { type: 'lifted-view-result'; requestId: number; iteration: number; view: LiftedView | null; error?: string }
  // views is null when the dataset is not an image set or the weights are not finite.
  | { type: 'image-views-result'; requestId: number; views: ImageViews | null; error?: string };

/** The one way a 'start' message is made, for live runs and pool jobs alike. */
export function startMessage(request: StartRequest): Extract<ToWorker, { type: 'start' }> {
  return { type: 'start', version: PROTOCOL_VERSION, ...request };
}
