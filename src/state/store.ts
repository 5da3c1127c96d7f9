import { create } from 'zustand';
import { subscribeWithSelector } from 'zustand/middleware';
import type { Experiment } from '../engine/experiment';
import { defaultExperiment } from '../methods/defaultExperiment';
import { newRunClient } from '../workers/client';
import type { RunWorkerFactory } from '../workers/runWorker';
import { setLiveRunsTraining } from './backendChoice';
import { createExperimentSlice } from './experimentSlice';
import { createLabSlice } from './labSlice';
import { createRunsSlice } from './runsSlice';
import type { StoreState } from './storeShape';
import { createSweepsSlice } from './sweepsSlice';
import { createUiSlice } from './uiSlice';

/**
 * The UI store, in five slices (zustand's slices pattern), each with its state and its actions in its own file:
 *   experimentSlice.ts  the experiment (the single source of truth, mirrored in the URL) and its validated edits;
 *   runsSlice.ts        the live runs, their workers, metrics, pause-on-event and the request/reply to workers;
 *   sweepsSlice.ts      seeds and sweeps on the worker pool, its progress and the job results;
 *   labSlice.ts         the landscape lab's edits (experiment.landscape, without resetting the runs);
 *   uiSlice.ts          view state: presentation mode, overlays, notices, the lecture step, the backend probe.
 * Their shapes are declared in storeShape.ts. Nothing writes the store except these actions. subscribeWithSelector
 * lets a subscriber listen to one part (the URL sync listens to the experiment only, src/ui/urlSync.ts).
 */
export type { RunView } from './runReducer';
export type { AboutRequest, LiftedViewReply, Notice, PauseInfo, SliceReply, StoreState, SweepActivity } from './storeShape';

export interface StoreOptions {
  /** Makes every run's worker, live runs' and pool jobs' alike (default: a trainer Web Worker). */
  newWorker?: RunWorkerFactory;
  experiment?: Experiment;
}

/** A store with its own workers: the app's one (useStore below), or a separate one per unit test. */
export function createPlaygroundStore({ newWorker = newRunClient, experiment = defaultExperiment() }: StoreOptions = {}) {
  const store = create<StoreState>()(
    subscribeWithSelector((...a) => ({
      ...createExperimentSlice(experiment)(...a),
      ...createRunsSlice(newWorker, experiment.runs.length)(...a),
      ...createSweepsSlice(newWorker)(...a),
      ...createLabSlice(...a),
      ...createUiSlice(...a),
    })),
  );
  return store;
}

export type PlaygroundStore = ReturnType<typeof createPlaygroundStore>;

export const useStore = createPlaygroundStore();

// The backend probe yields to live training (backendChoice.ts says why): it stops while a run starts or trains.
useStore.subscribe((s) => s.runs.some((r) => r.status === 'starting' || r.status === 'running'), setLiveRunsTraining);
