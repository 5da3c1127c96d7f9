import type { MethodEvent } from '../engine/hyper';
import { pauseEventOf } from '../methods/events';
import { lectureStepsFor } from '../presets';
import { LiveRunWorkers } from '../workers/liveRuns';
import { startMessage, type FromWorker } from '../workers/protocol';
import type { RunWorkerFactory } from '../workers/runWorker';
import { autoBackendNow, autoBackendPeek, wasmThreadsFor, type AutoChoice } from './backendChoice';
import { draftLines, useDrafts } from './drafts';
import { MetricsFlush } from './metricsFlush';
import { reduceRunMessage, type RunView } from './runReducer';
import type { ImageViewsReply, LiftedViewReply, RunsSlice, SliceCreator, SliceReply } from './storeShape';

/**
 * New points reach the store (and the plots) at most this often: 100 ms so that the loss plot can redraw 5+ times a
 * second (issue 29; 250 ms capped it at 4). What each store update costs the main thread is bounded by the redraw
 * queue, not by this.
 */
export const METRICS_FLUSH_MS = 100;
/** At most this many spare workers wait for Run (each holds TF.js and a WASM heap). */
const MAX_SPARE_WORKERS = 4;

const emptyRun = (): RunView => ({ status: 'idle', notices: [], points: [], version: 0 });

/** Whether a run has a worker that can answer a request (a finished or paused run keeps its worker). */
const answers = (status: RunView['status'] | undefined) => !!status && status !== 'idle' && status !== 'error' && status !== 'stopped';

/**
 * The runs slice (src/state/storeShape.ts RunsSlice). It owns the live runs' workers (`newWorker`, the store's one
 * worker factory, makes one per run: the real RunClient in the app, a fake in unit tests), the throttled metrics flush and the time Run was pressed.
 */
export const createRunsSlice =
  (newWorker: RunWorkerFactory, runCount: number): SliceCreator<RunsSlice> =>
  (set, get) => {
    const workers = new LiveRunWorkers(newWorker);
    /** performance.now() when Run (or the first Step) was pressed: the first point's latency is measured from it. */
    let runPressedAt = 0;
    /** Once the page has asked for spare workers (main.tsx), every reset readies them again for the new runs. */
    let prewarming = false;

    const patchRun = (i: number, patch: Partial<RunView>) =>
      set((s) => ({ runs: s.runs.map((r, j) => (j === i ? { ...r, ...patch, version: r.version + 1 } : r)) }));
    const flush = new MetricsFlush(METRICS_FLUSH_MS, (touched) =>
      set((s) => ({ runs: s.runs.map((r, j) => (touched.has(j) ? { ...r, version: r.version + 1 } : r)) })),
    );

    // Pause on an event (experiment.pauseOn): the run that reached it has stopped itself at that step (the worker
    // checks too); here every other run is paused and the lecture jumps to the step written for this event.
    const pauseAllAt = (runIndex: number, event: MethodEvent, iteration: number) => {
      if (get().pausedAt) return;
      const stepIndex = lectureStepsFor(get().experiment).findIndex((st) => st.at === event.id);
      set({ pausedAt: { runIndex, eventId: event.id, label: event.label, iteration } });
      if (stepIndex >= 0) get().setLectureStep(stepIndex);
      get().pause();
    };

    const onMessage = (i: number, msg: FromWorker) => {
      const r = get().runs[i];
      if (!r) return;
      const pauseOn = get().experiment.pauseOn;
      const algorithm = get().experiment.runs[i]?.algorithm ?? '';
      if (pauseOn?.length) {
        if (msg.type === 'metrics') {
          for (const p of msg.points) {
            const ev = pauseEventOf(pauseOn, algorithm, p);
            if (ev) {
              pauseAllAt(i, ev, p.iteration);
              break;
            }
          }
        } else if (msg.type === 'status' && msg.status === 'diverged') {
          const ev = pauseEventOf(pauseOn, algorithm, { extra: {} }, { status: 'diverged', message: msg.message ?? '' });
          if (ev) pauseAllAt(i, ev, msg.iteration);
        }
      }
      const { patch, flush: newPoints } = reduceRunMessage(r, msg, performance.now() - runPressedAt);
      if (patch) patchRun(i, patch);
      else if (newPoints) flush.mark(i);
    };

    /** Run and Step wait while a field holds text that is not applied (src/state/drafts.ts); the keys say why. */
    const refusedForDrafts = (): boolean => {
      const lines = draftLines(useDrafts.getState().drafts);
      if (!lines.length) return false;
      get().notify('error', `Not run: ${lines.join('; ')} — not applied. Fix it, or press Escape in the field to restore the applied value.`);
      return true;
    };

    const startRun = (i: number, autoRun: boolean) => {
      const e = get().experiment;
      const choice = e.training.backend;
      // Never wait for the probe: before it answers, 'auto' runs on the first-visit backend (backendChoice.ts).
      const { backend, notices, source }: AutoChoice = choice === 'auto' ? autoBackendNow() : { backend: choice, notices: [], source: 'probe' };
      const wasmThreads = wasmThreadsFor(e.runs.length);
      const worker = workers.start(
        i,
        (msg) => onMessage(i, msg),
        (report) => patchRun(i, { status: 'error', message: report }),
        { backend, wasmThreads },
      );
      patchRun(i, { status: 'starting', notices, message: undefined, backendSource: choice === 'auto' ? source : 'chosen', startedAt: performance.now() });
      worker.send(startMessage({ experiment: e, runIndex: i, backend, autoRun, fault: get().faults[i], wasmThreads }));
    };

    return {
      runs: Array.from({ length: runCount }, emptyRun),
      hiddenRuns: Array.from({ length: runCount }, () => false),
      pausedAt: null,
      faults: [],

      async run() {
        if (refusedForDrafts()) return;
        runPressedAt = performance.now();
        set({ pausedAt: null });
        get().runs.forEach((r, i) => {
          if (r.status === 'idle') startRun(i, true);
          else if (r.status === 'paused') workers.send(i, { type: 'resume' });
        });
      },
      pause() {
        get().runs.forEach((r, i) => {
          if (r.status === 'running' || r.status === 'starting') workers.send(i, { type: 'pause' });
        });
      },
      async step(count = 1) {
        if (refusedForDrafts()) return;
        get().runs.forEach((r, i) => {
          if (r.status === 'idle') {
            runPressedAt = performance.now();
            startRun(i, false);
          }
          if (r.status === 'idle' || r.status === 'paused' || r.status === 'starting') workers.send(i, { type: 'step', count });
        });
      },
      reset() {
        workers.terminateAll();
        flush.cancel();
        set((s) => ({ pausedAt: null, runs: s.experiment.runs.map(emptyRun), hiddenRuns: s.experiment.runs.map(() => false) }));
        if (prewarming) get().prewarmWorkers();
      },
      prewarmWorkers() {
        prewarming = true;
        const e = get().experiment;
        if (!get().runs.every((r) => r.status === 'idle')) return;
        const backend = e.training.backend === 'auto' ? autoBackendPeek() : e.training.backend;
        workers.prewarm(Math.min(e.runs.length, MAX_SPARE_WORKERS), { backend, wasmThreads: wasmThreadsFor(e.runs.length) });
      },
      async restartRun(index) {
        set((s) => ({ runs: s.runs.map((r, j) => (j === index ? emptyRun() : r)) }));
        startRun(index, true);
      },
      toggleRunVisible(index) {
        set((s) => ({ hiddenRuns: s.hiddenRuns.map((h, j) => (j === index ? !h : h)) }));
      },
      setFaults(faults) {
        set({ faults });
      },
      requestWeights(timeoutMs = 5000) {
        return Promise.all(
          get().runs.map((r, i) =>
            answers(r.status) ? workers.ask(i, { type: 'get-weights' }, (m) => (m.type === 'weights' ? { sizes: m.sizes, flat: m.flat } : undefined), timeoutMs) : null,
          ),
        );
      },
      requestLiftedView(index, layer, unit, timeoutMs = 5000) {
        if (!answers(get().runs[index]?.status)) return Promise.resolve(null);
        const requestId = workers.requestId();
        return workers.ask<LiftedViewReply>(
          index,
          { type: 'lifted-view', requestId, layer, unit },
          (m) => (m.type === 'lifted-view-result' && m.requestId === requestId ? m : undefined),
          timeoutMs,
        );
      },
      requestImageViews(index, image, timeoutMs = 5000) {
        if (!answers(get().runs[index]?.status)) return Promise.resolve(null);
        const requestId = workers.requestId();
        return workers.ask<ImageViewsReply>(
          index,
          { type: 'image-views', requestId, image },
          (m) => (m.type === 'image-views-result' && m.requestId === requestId ? m : undefined),
          timeoutMs,
        );
      },
      requestSlice(index, request, timeoutMs = 600_000) {
        if (!answers(get().runs[index]?.status)) return Promise.resolve(null);
        const requestId = workers.requestId();
        return workers.ask<SliceReply>(
          index,
          { type: 'slice', requestId, ...request },
          (m) => (m.type === 'slice-result' && m.requestId === requestId ? m : undefined),
          timeoutMs,
        );
      },
    };
  };
