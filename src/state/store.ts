import { create } from 'zustand';
import { MAX_RUNS, type Experiment, type RunConfig } from '../engine/experiment';
import { defaultExperiment } from '../methods/defaultExperiment';
import type { LandscapeConfig } from '../engine/landscape/config';
import type { SliceRequest } from '../engine/landscape/slice';
import { defaultRun } from '../methods/registry';
import { findPreset, lectureStepsFor, PRESETS } from '../presets';
import { followTitle } from '../methods/runLabels';
import type { MethodEvent } from '../engine/hyper';
import { pauseEventOf } from '../methods/events';
import { validateExperiment } from '../url/validate';
import { RunClient } from '../workers/client';
import type { FaultInjection, FromWorker, ToWorker } from '../workers/protocol';
import { autoBackendNow, onProbeState, probeState, setLiveRunsTraining, wasmThreadsFor, type AutoChoice, type ProbeState } from './backendChoice';
import { reduceRunMessage, type RunView } from './runReducer';

/**
 * The UI state. Slices: the experiment (the single source of truth, mirrored in the URL), the live runs
 * (one worker each, metrics appended in place and signalled by a version counter so that long runs do not
 * copy 100k-point arrays on every batch), and view state (presentation mode, hidden runs, messages).
 */
export type { RunView };

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
  /** A page by name (docs/methods/<page>.md) instead of the algorithm's own, e.g. from a link between pages. */
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

interface State {
  experiment: Experiment;
  runs: RunView[];
  hiddenRuns: boolean[];
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
  pausedAt: PauseInfo | null;
  about: AboutRequest | null;
  /** Plot id whose explanation (the (i) beside a plot) is open. */
  plotInfo: string | null;
  /** Index of the lecture step shown in presentation mode (presets with steps, see presets/index.ts). */
  lectureStep: number;
  /** Fault injection for robustness tests (set from the URL's test-only `fault` parameter). */
  faults: (FaultInjection | undefined)[];
  setExperiment(e: Experiment): void;
  updateExperiment(edit: (draft: Experiment) => void): void;
  loadPreset(id: string): void;
  addRun(algorithm: string): void;
  removeRun(index: number): void;
  updateRun(index: number, run: RunConfig): void;
  /** Name a run (empty: the automatic name) or title the experiment; neither restarts the runs. */
  renameRun(index: number, label: string): void;
  setTitle(title: string): void;
  run(): Promise<void>;
  pause(): void;
  step(count?: number): Promise<void>;
  reset(): void;
  restartRun(index: number): Promise<void>;
  /** View settings (axis, log scale, smoothing) change the plots only, never the running workers. */
  setView(patch: Partial<Experiment['view']>): void;
  toggleRunVisible(index: number): void;
  setPresentation(on: boolean): void;
  setAccuracyZoom(on: boolean): void;
  /** The next of `ids` (the second slot's choices, in order) after the current one. */
  cycleStageSecond(ids: string[]): void;
  /** Both slots → the loss enlarged → the second slot enlarged → both slots. */
  cycleStageEnlarged(): void;
  setHelp(open: boolean): void;
  setAbout(about: AboutRequest | null): void;
  setPlotInfo(id: string | null): void;
  setLectureStep(index: number): void;
  notify(kind: Notice['kind'], text: string): void;
  /** Trained weights of every run (null for runs without a live worker), for the JSON export. */
  requestWeights(timeoutMs?: number): Promise<({ sizes: number[]; flat: number[] } | null)[]>;
  /** Lifted methods: one hidden unit's lifted activations of run `index` now; null without a live worker or on timeout. */
  requestLiftedView(index: number, layer: number, unit: number, timeoutMs?: number): Promise<LiftedViewReply | null>;
  /** A loss-landscape slice through (or a projection onto the plane of) a finished run's weights. */
  requestSlice(index: number, request: SliceRequest, timeoutMs?: number): Promise<SliceReply | null>;
  /** Replace the landscape-lab part of the experiment; the training runs are kept (a slice needs them). */
  setLandscape(landscape: LandscapeConfig): void;
  /** Test-only fault injection (robustness e2e), from the link's `fault` parameter. */
  setFaults(faults: (FaultInjection | undefined)[]): void;
  dismissNotice(id: number): void;
}

const METRICS_FLUSH_MS = 250;
/** How long an information notice stays (long enough to read two lines at a projector's distance). */
const INFO_NOTICE_MS = 12_000;

const emptyRun = (): RunView => ({ status: 'idle', notices: [], points: [], version: 0 });

let clients: (RunClient | null)[] = [];

/** Landscape lab: extra listeners on every run's worker messages, and a way to message a run's worker. */
const runMessageListeners = new Set<(runIndex: number, msg: FromWorker) => void>();
/**
 * Send a request to a live run's worker and resolve with the first reply `pick` accepts (null when the run has
 * no live worker or nothing answers within timeoutMs). One mechanism for every request/reply message.
 */
function askRun<T>(runIndex: number, status: RunView['status'] | undefined, msg: ToWorker, pick: (m: FromWorker) => T | undefined, timeoutMs: number): Promise<T | null> {
  return new Promise((resolve) => {
    const c = clients[runIndex];
    if (!c || !status || status === 'idle' || status === 'error' || status === 'stopped') return resolve(null);
    const done = (v: T | null) => {
      clearTimeout(timer);
      runMessageListeners.delete(listener);
      resolve(v);
    };
    const listener = (i: number, m: FromWorker) => {
      if (i !== runIndex) return;
      const v = pick(m);
      if (v !== undefined) done(v);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    runMessageListeners.add(listener);
    c.send(msg);
  });
}
/** A worker's answer to 'lifted-view' (view null: the method keeps no lifted activations; error: bad layer/unit). */
export type LiftedViewReply = Omit<Extract<FromWorker, { type: 'lifted-view-result' }>, 'type' | 'requestId'>;
/** A worker's answer to 'slice' (error set when it failed). */
export type SliceReply = Omit<Extract<FromWorker, { type: 'slice-result' }>, 'type' | 'requestId'>;
let nextRequestId = 1;
let runPressedAt = 0;

/** Whether two experiments share their lecture (the same preset's steps); then the current step is kept. */
function sameLecture(a: Experiment, b: Experiment): boolean {
  const sa = lectureStepsFor(a);
  return sa.length > 0 && sa === lectureStepsFor(b);
}
let noticeId = 1;
const PRESET_TITLES = PRESETS.map((p) => p.experiment.title);

function terminateAll(): void {
  for (const c of clients) c?.terminate();
  clients = [];
}

export const useStore = create<State>((set, get) => {
  onProbeState((probe) => set({ probe }));
  const patchRun = (i: number, patch: Partial<RunView>) =>
    set((s) => ({ runs: s.runs.map((r, j) => (j === i ? { ...r, ...patch, version: r.version + 1 } : r)) }));

  // Metrics of all runs are signalled to React together, at most every METRICS_FLUSH_MS: with several runs
  // streaming, one store update per worker message made the main thread re-render many times a second.
  const dirty = new Set<number>();
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  const scheduleMetricsFlush = (i: number) => {
    dirty.add(i);
    if (flushTimer !== null) return;
    flushTimer = setTimeout(() => {
      flushTimer = null;
      const touched = new Set(dirty);
      dirty.clear();
      set((s) => ({ runs: s.runs.map((r, j) => (touched.has(j) ? { ...r, version: r.version + 1 } : r)) }));
    }, METRICS_FLUSH_MS);
  };

  // Pause on an event (experiment.pauseOn): the run that reached it has stopped itself at that step (the worker
  // checks too); here every other run is paused and the lecture jumps to the step written for this event.
  const pauseAllAt = (runIndex: number, event: MethodEvent, iteration: number) => {
    if (get().pausedAt) return;
    const steps = lectureStepsFor(get().experiment);
    const stepIndex = steps.findIndex((st) => st.at === event.id);
    set((s) => ({ pausedAt: { runIndex, eventId: event.id, label: event.label, iteration }, lectureStep: stepIndex >= 0 ? stepIndex : s.lectureStep }));
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
    const { patch, flush } = reduceRunMessage(r, msg, performance.now() - runPressedAt);
    if (patch) patchRun(i, patch);
    else if (flush) scheduleMetricsFlush(i);
    for (const l of runMessageListeners) l(i, msg);
  };

  const startRun = async (i: number, autoRun: boolean) => {
    const e = get().experiment;
    const choice = e.training.backend;
    // Never wait for the probe: before it answers, 'auto' runs on the first-visit backend (backendChoice.ts).
    const { backend, notices, source }: AutoChoice = choice === 'auto' ? autoBackendNow() : { backend: choice, notices: [], source: 'probe' };
    clients[i]?.terminate();
    const client = new RunClient(
      (msg) => onMessage(i, msg),
      (message) => {
        // An uncaught error may leave the worker half-alive: end it so it cannot overwrite the report.
        client.terminate();
        patchRun(i, { status: 'error', message: `the worker crashed: ${message}` });
      },
    );
    clients[i] = client;
    patchRun(i, { status: 'starting', notices, message: undefined, backendSource: choice === 'auto' ? source : 'chosen', startedAt: performance.now() });
    client.start(e, i, backend, autoRun, get().faults[i], undefined, wasmThreadsFor(e.runs.length));
  };

  // Names and titles change what is shown, not what is computed: validated like any edit, the runs keep going.
  const applyWithoutRestart = (draft: Experiment) => {
    const checked = validateExperiment(draft);
    if (!checked.ok) {
      get().notify('error', `Not applied: ${checked.errors.join('; ')}`);
      return;
    }
    set({ experiment: checked.value });
  };

  const resetRuns = () => {
    terminateAll();
    set((s) => ({ runs: s.experiment.runs.map(emptyRun), hiddenRuns: s.experiment.runs.map(() => false) }));
  };

  return {
    experiment: defaultExperiment(),
    runs: defaultExperiment().runs.map(emptyRun),
    hiddenRuns: defaultExperiment().runs.map(() => false),
    notices: [],
    presentation: false,
    accuracyZoom: false,
    stageSecond: null,
    stageEnlarged: null,
    helpOpen: false,
    probe: probeState(),
    pausedAt: null,
    about: null,
    plotInfo: null,
    lectureStep: 0,
    faults: [],

    setExperiment(e) {
      // A different experiment (another preset, a link, an edit) starts its lecture from the first step.
      set((s) => ({ experiment: e, pausedAt: null, lectureStep: sameLecture(s.experiment, e) ? s.lectureStep : 0 }));
      resetRuns();
    },
    updateExperiment(edit) {
      const before = get().experiment;
      const draft = structuredClone(before);
      edit(draft);
      // The title follows the experiment (its methods, its data) until the user writes their own.
      draft.title = followTitle(before, draft, PRESET_TITLES);
      const checked = validateExperiment(draft);
      if (!checked.ok) {
        get().notify('error', `Not applied: ${checked.errors.join('; ')}`);
        return;
      }
      get().setExperiment(checked.value);
    },
    loadPreset(id) {
      const p = findPreset(id);
      if (!p) {
        get().notify('error', `There is no preset "${id}".`);
        return;
      }
      get().setExperiment(structuredClone(p.experiment));
    },
    addRun(algorithm) {
      if (get().experiment.runs.length >= MAX_RUNS) {
        get().notify('error', `At most ${MAX_RUNS} runs can be compared at once.`);
        return;
      }
      get().updateExperiment((d) => d.runs.push(defaultRun(algorithm)));
    },
    removeRun(index) {
      if (get().experiment.runs.length <= 1) return;
      const slice = get().experiment.landscape?.slice;
      get().updateExperiment((d) => {
        d.runs.splice(index, 1);
        // The landscape slice names its reference run by index: keep it on the same run, or say where it moved.
        if (d.landscape && slice && slice.reference > index) d.landscape.slice.reference = slice.reference - 1;
        else if (d.landscape && slice && slice.reference === index) d.landscape.slice.reference = 0;
        // A sweep names runs by index: follow the removal (and drop the sweep if none of its runs is left).
        const sweep = d.protocol?.sweep;
        if (d.protocol && sweep) {
          sweep.runs = sweep.runs.filter((r) => r !== index).map((r) => (r > index ? r - 1 : r));
          if (sweep.runs.length === 0) delete d.protocol.sweep;
        }
      });
      if (slice?.reference === index && index !== 0 && get().experiment.landscape?.slice.reference === 0)
        get().notify('info', `The landscape slice went through run ${index + 1}, which was removed; it now goes through run 1.`);
    },
    updateRun(index, run) {
      get().updateExperiment((d) => (d.runs[index] = run));
    },
    renameRun(index, label) {
      const draft = structuredClone(get().experiment);
      if (!draft.runs[index]) return;
      const name = label.trim();
      if (name) draft.runs[index].label = name;
      else delete draft.runs[index].label;
      applyWithoutRestart(draft);
    },
    setTitle(title) {
      const before = get().experiment;
      const draft = { ...structuredClone(before), title };
      draft.title = followTitle(before, draft, PRESET_TITLES);
      applyWithoutRestart(draft);
    },
    async run() {
      runPressedAt = performance.now();
      set({ pausedAt: null });
      const { runs } = get();
      await Promise.all(
        runs.map(async (r, i) => {
          if (r.status === 'idle') await startRun(i, true);
          else if (r.status === 'paused') {
            clients[i]?.send({ type: 'resume' });
          }
        }),
      );
    },
    pause() {
      get().runs.forEach((r, i) => {
        if (r.status === 'running' || r.status === 'starting') clients[i]?.send({ type: 'pause' });
      });
    },
    async step(count = 1) {
      const { runs } = get();
      await Promise.all(
        runs.map(async (r, i) => {
          if (r.status === 'idle') {
            runPressedAt = performance.now();
            await startRun(i, false);
          }
          if (r.status === 'idle' || r.status === 'paused' || r.status === 'starting') clients[i]?.send({ type: 'step', count });
        }),
      );
    },
    reset() {
      set({ pausedAt: null });
      resetRuns();
    },
    async restartRun(index) {
      set((s) => ({ runs: s.runs.map((r, j) => (j === index ? emptyRun() : r)) }));
      await startRun(index, true);
    },
    setView(patch) {
      set((s) => ({ experiment: { ...s.experiment, view: { ...s.experiment.view, ...patch } } }));
    },
    toggleRunVisible(index) {
      set((s) => ({ hiddenRuns: s.hiddenRuns.map((h, j) => (j === index ? !h : h)) }));
    },
    setPresentation(on) {
      set({ presentation: on });
    },
    setAccuracyZoom(on) {
      set({ accuracyZoom: on });
    },
    cycleStageSecond(ids) {
      if (!ids.length) return;
      const k = ids.indexOf(get().stageSecond ?? ids[0]);
      set({ stageSecond: ids[(Math.max(0, k) + 1) % ids.length] });
    },
    cycleStageEnlarged() {
      const order = [null, 'loss', 'second'] as const;
      set((s) => ({ stageEnlarged: order[(order.indexOf(s.stageEnlarged) + 1) % order.length] }));
    },
    setHelp(open) {
      set({ helpOpen: open });
    },
    setAbout(about) {
      set({ about });
    },
    setPlotInfo(id) {
      set({ plotInfo: id });
    },
    setLectureStep(index) {
      const n = lectureStepsFor(get().experiment).length;
      set({ lectureStep: Math.max(0, Math.min(n - 1, index)) });
    },
    notify(kind, text) {
      const id = noticeId++;
      set((s) => ({ notices: [...s.notices.slice(-4), { id, kind, text }] }));
      // Information clears itself; an error stays until dismissed.
      if (kind === 'info') setTimeout(() => get().dismissNotice(id), INFO_NOTICE_MS);
    },
    requestWeights(timeoutMs = 5000) {
      return Promise.all(
        get().runs.map((r, i) =>
          askRun(i, r.status, { type: 'get-weights' }, (m) => (m.type === 'weights' ? { sizes: m.sizes, flat: m.flat } : undefined), timeoutMs),
        ),
      );
    },
    requestLiftedView(index, layer, unit, timeoutMs = 5000) {
      const requestId = nextRequestId++;
      return askRun<LiftedViewReply>(
        index,
        get().runs[index]?.status,
        { type: 'lifted-view', requestId, layer, unit },
        (m) => (m.type === 'lifted-view-result' && m.requestId === requestId ? m : undefined),
        timeoutMs,
      );
    },
    requestSlice(index, request, timeoutMs = 600_000) {
      const requestId = nextRequestId++;
      return askRun<SliceReply>(
        index,
        get().runs[index]?.status,
        { type: 'slice', requestId, ...request },
        (m) => (m.type === 'slice-result' && m.requestId === requestId ? m : undefined),
        timeoutMs,
      );
    },
    setLandscape(landscape) {
      set((s) => ({ experiment: { ...s.experiment, landscape } }));
    },
    setFaults(faults) {
      set({ faults });
    },
    dismissNotice(id) {
      set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
    },
  };
});

// The backend probe yields to live training (backendChoice.ts says why): it stops while a run starts or trains.
useStore.subscribe((s) => setLiveRunsTraining(s.runs.some((r) => r.status === 'starting' || r.status === 'running')));
