/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { activateBackend, BACKEND_ORDER, canarySelfCheck, probeBackends, watchBackendLoss, type BackendName, type SelfCheck } from '../engine/backend';
import { canaryOnActiveBackend, runCanary, selfCheckFailure } from '../engine/backendCanary';
import { BackendFaultError } from '../engine/backendFault';
import { TrainingRun } from '../engine/runner';
import { startTrainingRun } from '../methods/algorithms';
import { pauseEventOf } from '../methods/events';
import { sliceForRun } from '../engine/landscape/slice';
import { flattenParams } from '../engine/params';
import { imageViewBuffers } from '../engine/imageViews';
import { INITIAL_LOOP, nextLoop, wantsStep, type LoopState } from './loopState';
import { PROTOCOL_VERSION, type FaultInjection, type FromWorker, type MetricPoint, type ToWorker } from './protocol';
import { configureWasmThreads, wasmThreadsInUse } from './wasmThreads';
import { HOLD_POLL_MS, WorkerGate } from './testGate';

/**
 * One worker per run. It owns a TrainingRun and steps it in time slices, yielding between slices so that
 * pause/step/stop messages are handled promptly, and posts metrics in batches (at most every FLUSH_MS).
 */
declare const self: DedicatedWorkerGlobalScope;

const SLICE_MS = 25;
const FLUSH_MS = 150;
const BOUNDARY_MS = 1000;

const base = new URL(import.meta.env.BASE_URL, self.location.origin);
// The WASM binaries and the pthread scripts of the threaded build are served from the app (public/tfjs-wasm).
setWasmPaths(new URL('tfjs-wasm/', base).href);

const load = async (file: string) => {
  const res = await fetch(new URL(`datasets/${file}`, base));
  if (!res.ok) throw new Error(`could not load dataset file ${file} (HTTP ${res.status})`);
  return res.arrayBuffer();
};

let run: TrainingRun | null = null;
/** Running, paused, steps owed, stopped: the rules are in loopState.ts. */
let loopState: LoopState = INITIAL_LOOP;
let pending: MetricPoint[] = [];
let lastFlush = 0;
let lastBoundary = 0;
let fault: FaultInjection | undefined;
/**
 * Fault injection (the robustness e2e) exists only in the test build: `vite build --mode e2e` sets
 * VITE_TEST_HOOKS=on (.env.e2e). Vite replaces this expression with a constant, so in the production build every
 * branch guarded by it is removed and a start message's `fault` is ignored.
 */
const TEST_HOOKS = import.meta.env.VITE_TEST_HOOKS === 'on';
/** The test build's gate (testGate.ts): holds this worker's run before a chosen iteration while a test looks. */
const gate = TEST_HOOKS ? new WorkerGate(`worker-${Math.random().toString(36).slice(2)}`) : null;
let loopActive = false;
let currentBackend: BackendName = 'cpu';
let startMsg: Extract<ToWorker, { type: 'start' }> | null = null;
/** Set when the loop stops because the run reached a pause-on event: the paused status says which. */
let pausedAt: string | undefined;

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

function flush(force = false): void {
  const now = performance.now();
  if (pending.length && (force || now - lastFlush >= FLUSH_MS)) {
    post({ type: 'metrics', points: pending });
    pending = [];
    lastFlush = now;
  }
  if (run && run.isTwoD && !startMsg?.job?.noBoundary && (force || now - lastBoundary >= BOUNDARY_MS)) {
    const grid = run.boundary();
    if (grid) post({ type: 'boundary', grid }, [grid.classes.buffer, grid.confidence.buffer]);
    lastBoundary = now;
  }
}

function finish(status: 'finished' | 'diverged' | 'error' | 'stopped', message: string): void {
  loopState = nextLoop(loopState, { type: 'ended' }).state; // every terminal status ends the loop for good
  flush(true);
  post({ type: 'status', status, iteration: run?.iteration ?? 0, message });

}

/** Yield to the event loop so queued messages (pause, stop) are processed between slices. */
const yieldNow = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function loop(): Promise<void> {
  if (loopActive) return;
  loopActive = true;
  try {
    while (run && wantsStep(loopState)) {
      const sliceStart = performance.now();
      while (run && wantsStep(loopState) && performance.now() - sliceStart < SLICE_MS) {
        if (TEST_HOOKS && fault?.throwAtIteration !== undefined && run.iteration + 1 >= fault.throwAtIteration)
          throw new Error(`injected fault at iteration ${run.iteration + 1}`);
        if (TEST_HOOKS && fault?.loseBackendAtIteration !== undefined && run.iteration + 1 >= fault.loseBackendAtIteration) {
          fault = { ...fault, loseBackendAtIteration: undefined };
          throw new BackendLost(`the ${currentBackend} backend was lost at iteration ${run.iteration + 1} (injected context loss)`);
        }
        if (TEST_HOOKS && gate?.holds(run.iteration)) {
          // Show everything up to the held iteration, then wait (answering messages) until the gate moves or the
          // loop is paused or stopped.
          flush(true);
          while (run && wantsStep(loopState) && gate.holds(run.iteration)) await new Promise((r) => setTimeout(r, HOLD_POLL_MS));
          continue;
        }
        const outcome = run.step();
        if (selfCheckDue(run.iteration)) recheckBackend(run.iteration);
        pending.push(outcome.point);
        loopState = nextLoop(loopState, { type: 'stepped' }).state;
        if (outcome.stop) {
          finish(outcome.stop.status, outcome.stop.message);
          break;
        }
        // Pause on an event (experiment.pauseOn): this run stops at exactly the step that reached it; the store
        // pauses the other runs when the point arrives. Divergence ends the run above and is handled by the store.
        const event = pauseEventOf(run.experiment.pauseOn, run.experiment.runs[startMsg?.runIndex ?? 0]?.algorithm ?? '', outcome.point);
        if (event) {
          loopState = nextLoop(loopState, { type: 'halt' }).state;
          pausedAt = `paused at ${event.label} (iteration ${run.iteration})`;
          break;
        }
      }
      flush();
      await yieldNow();
    }
    // The loop ends when paused (by a 'pause' message or when requested steps are done) or stopped.
    if (run && !loopState.stopped) {
      flush(true);
      post({ type: 'status', status: 'paused', iteration: run.iteration, message: pausedAt });
      pausedAt = undefined;
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (isBackendFailure(err, message) && startMsg) {
      loopActive = false;
      await restartOnNextBackend(message);
      return;
    }
    finish('error', message);
  } finally {
    loopActive = false;
  }
}

/** A GPU context or device lost mid-run: its tensors are gone, so the run restarts on the next backend. */
class BackendLost extends Error {}
const BACKEND_LOSS = /context (was )?lost|device (was )?lost|CONTEXT_LOST|GPUDevice.*lost/i;

/**
 * Whether an error means "this backend cannot go on" (so the run moves to the next backend) rather than a
 * fault of the run itself. A lost context anywhere; and on the GPU backends any error from the device or
 * the driver (e.g. the software WebGPU adapter refusing a buffer) — an error that is not the backend's will
 * simply recur on the next backend and be reported there.
 */
function isBackendFailure(err: unknown, message: string): boolean {
  if (currentBackend === 'cpu' || (TEST_HOOKS && /injected fault/.test(message))) return false;
  if (err instanceof BackendLost || err instanceof BackendFaultError || BACKEND_LOSS.test(message)) return true;
  return (currentBackend === 'webgpu' || currentBackend === 'webgl') && /GPU|WebGL|webgl|shader|buffer|texture/i.test(message);
}

// GPU errors often surface asynchronously (outside the step loop's try): catch them here so that the run falls
// back instead of the whole worker being reported as crashed.
let restarting = false;
const onAsyncError = (message: string, prevent: () => void) => {
  // Attribute the error to a backend by its text; errors of a backend already left behind are ignored.
  const from: BackendName = /GPUDevice|WebGPU|GPUBuffer|GPUQueue/i.test(message) ? 'webgpu' : /WebGL/i.test(message) ? 'webgl' : currentBackend;
  if (restarting || from !== currentBackend) {
    if (from !== currentBackend) prevent();
    return;
  }
  if (run && startMsg && !loopState.stopped && isBackendFailure(undefined, message)) {
    prevent();
    void restartOnNextBackend(message);
  }
};
self.addEventListener('error', (ev) => onAsyncError(ev.message ?? String(ev.error), () => ev.preventDefault()));
self.addEventListener('unhandledrejection', (ev) =>
  onAsyncError(ev.reason instanceof Error ? ev.reason.message : String(ev.reason), () => ev.preventDefault()),
);

async function restartOnNextBackend(reason: string): Promise<void> {
  if (restarting) return;
  restarting = true;
  const lost = currentBackend;
  try {
    try {
      run?.dispose();
    } catch {
      /* the lost backend may refuse to free its tensors */
    }
    run = null;
    pending = [];
    const { backend, notices } = await activateBackend(nextAfter(lost, [lost]), selfCheck);
    useBackend(backend);
    run = await startTrainingRun(startMsg!.experiment, startMsg!.runIndex, load, startMsg!.job);
    post({ type: 'restarted', backend, notice: `${reason}; restarted from iteration 0 on ${backend}`, notices });
  } catch (err) {
    finish('error', `${reason}; falling back failed: ${err instanceof Error ? err.message : String(err)}`);
    return;
  } finally {
    restarting = false;
  }
  void loop();
}

/** A spare worker's warm-up (see 'warm-up' in protocol.ts); a start waits for it. Failures are the run's to find. */
let warming: Promise<unknown> = Promise.resolve();

function warmUp(msg: Extract<ToWorker, { type: 'warm-up' }>): void {
  if (msg.backend !== 'wasm' && msg.backend !== 'cpu') return;
  configureWasmThreads(msg.wasmThreads);
  warming = activateBackend(msg.backend, selfCheck).catch(() => undefined);
}

async function start(msg: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  if (msg.version !== PROTOCOL_VERSION) throw new Error(`protocol version ${msg.version} ≠ worker's ${PROTOCOL_VERSION}`);
  if (run && !loopState.stopped) throw new Error('a run is still active in this worker: stop it before starting another');
  // A reused worker (the pool's): the previous run has been stopped and disposed; begin afresh.
  loopState = INITIAL_LOOP;
  pending = [];
  lastFlush = 0;
  lastBoundary = 0;
  run?.dispose(); // a finished run that was not sent 'stop'
  run = null;
  fault = TEST_HOOKS ? msg.fault : undefined;
  if (TEST_HOOKS && fault?.uncaughtAfterMs !== undefined)
    setTimeout(() => {
      throw new Error('injected uncaught error in the worker');
    }, fault.uncaughtAfterMs);
  // Only now wait for a warm-up: the resets above must come before any await, or a 'step' sent right after this
  // 'start' would be recorded in the old loop state and lost.
  await warming;
  if (TEST_HOOKS) await gate?.refresh();
  const t0 = performance.now();
  configureWasmThreads(msg.wasmThreads ?? 1);
  const preferred: BackendName = msg.backend;
  let backend: BackendName;
  let notices: string[];
  if (TEST_HOOKS && fault?.failBackends?.includes(preferred)) {
    // Test hook: behave as if the preferred backend failed to initialise, and fall back past it.
    const res = await activateBackend(nextAfter(preferred, fault.failBackends), selfCheck);
    backend = res.backend;
    notices = [`${preferred} failed to initialise (injected)`, ...res.notices];
  } else ({ backend, notices } = await activateBackend(preferred, selfCheck));
  useBackend(backend);
  startMsg = msg;
  // Building the problem uploads the whole dataset: the first place a GPU backend can refuse (e.g. a software
  // WebGPU adapter and a 38 MB buffer). Then move on to the next backend, and say so.
  for (;;) {
    try {
      run = await startTrainingRun(msg.experiment, msg.runIndex, load, msg.job);
      break;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!isBackendFailure(err, message)) throw err;
      const next = await activateBackend(nextAfter(currentBackend, [currentBackend]), selfCheck);
      notices.push(`${currentBackend} failed while loading the data (${message}); using ${next.backend}`, ...next.notices);
      useBackend(next.backend);
    }
  }
  backend = currentBackend;
  post({ type: 'ready', backend, threads: wasmThreadsInUse(), notices, paramCount: run.paramCount, setupMs: performance.now() - t0 });
  const t = nextLoop(loopState, { type: 'ready', autoRun: msg.autoRun });
  loopState = t.state;
  post({ type: 'status', status: t.report ?? 'paused', iteration: 0 });
  if (!loopState.running) flush(true);
  // Steps may have been requested while the backend and data were loading; otherwise a paused start waits.
  if (t.startLoop) void loop();
}

/**
 * The backend self-check (engine/backendCanary.ts), run when a backend is activated and every SELF_CHECK_EVERY steps
 * of a run. In the test build, `fault=corrupt:<backend>[:<iteration>]` makes that backend's check read zeros (from
 * that iteration on), as the software WebGPU adapter did, to test the fallback deterministically.
 */
const selfCheck: SelfCheck = (name) => {
  const corrupt = TEST_HOOKS ? fault?.corruptBackends?.find((c) => c.backend === name) : undefined;
  if (!corrupt || (run?.iteration ?? 0) < (corrupt.fromIteration ?? 0)) return canarySelfCheck(name);
  const verdict = runCanary(() => {
    const read = canaryOnActiveBackend();
    return { loss: 0, gradW1: new Float32Array(read.gradW1.length), gradB1: new Float32Array(read.gradB1.length), gradW2: new Float32Array(read.gradW2.length), gradB2: new Float32Array(read.gradB2.length) };
  });
  return verdict.ok ? null : `${selfCheckFailure(name, verdict.reason)} (injected)`;
};

/**
 * A device can go bad mid-run (and a lost one reads zeros): the canary is repeated every this many steps. It costs
 * one tiny forward/backward pass and one read (well under a millisecond on WASM, a few on a GPU backend).
 */
const SELF_CHECK_EVERY = 500;

function selfCheckDue(iteration: number): boolean {
  const corruptFrom = TEST_HOOKS ? fault?.corruptBackends?.find((c) => c.backend === currentBackend)?.fromIteration : undefined;
  return iteration % SELF_CHECK_EVERY === 0 || iteration === corruptFrom;
}

/** Throws BackendLost (so the loop restarts the run on the next backend) when the backend in use fails its check. */
function recheckBackend(iteration: number): void {
  const failure = selfCheck(currentBackend);
  if (failure) throw new BackendLost(`${failure} at iteration ${iteration}`);
}

let stopWatchingBackend: () => void = () => undefined;

/** Make `backend` the run's backend, and move the run on when its GPU is lost (GPUDevice.lost, webglcontextlost). */
function useBackend(backend: BackendName): void {
  stopWatchingBackend();
  currentBackend = backend;
  stopWatchingBackend = watchBackendLoss(backend, (reason) => {
    if (backend !== currentBackend || restarting || !run || !startMsg || loopState.stopped) return;
    void restartOnNextBackend(reason);
  });
}

function nextAfter(name: BackendName, failing: BackendName[]): BackendName {
  const rest = BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(name) + 1).filter((b) => !failing.includes(b));
  return rest[0] ?? 'cpu';
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  const fail = (err: unknown) => finish('error', err instanceof Error ? err.message : String(err));
  switch (msg.type) {
    case 'start':
      start(msg).catch(fail);
      break;
    case 'warm-up':
      warmUp(msg);
      break;
    case 'pause':
    case 'resume':
    case 'step': {
      const t = nextLoop(loopState, msg);
      loopState = t.state;
      if (t.report) post({ type: 'status', status: t.report, iteration: run?.iteration ?? 0 });
      if (t.startLoop) void loop();
      break;
    }
    case 'stop':
      loopState = nextLoop(loopState, msg).state;
      flush(true);
      run?.dispose();
      run = null;
      post({ type: 'status', status: 'stopped', iteration: 0 });
      break;
    case 'get-weights':
      if (run) post({ type: 'weights', ...run.weights() });
      break;
    case 'slice':
      handleSlice(msg);
      break;
    case 'lifted-view':
      handleLiftedView(msg);
      break;
    case 'image-views':
      handleImageViews(msg);
      break;
    case 'probe':
      // The probe compares backends as a run on several workers would use them: WASM single-threaded.
      configureWasmThreads(1);
      probeBackends(3000, msg.skip ?? [], selfCheck)
        .then((result) => post({ type: 'probe-result', result }))
        .catch(fail);
      break;
  }
};

/** Lifted methods: one hidden unit's lifted activations at the current iteration (between step slices). */
function handleLiftedView(msg: Extract<ToWorker, { type: 'lifted-view' }>): void {
  const { requestId, layer, unit } = msg;
  try {
    if (!run) throw new Error('this run has no network yet');
    post({ type: 'lifted-view-result', requestId, iteration: run.iteration, view: run.liftedView(layer, unit) });
  } catch (err) {
    post({ type: 'lifted-view-result', requestId, iteration: run?.iteration ?? 0, view: null, error: err instanceof Error ? err.message : String(err) });
  }
}

/** Image datasets: the confusion matrix, mistakes, filters and feature maps now (between step slices). */
function handleImageViews(msg: Extract<ToWorker, { type: 'image-views' }>): void {
  const { requestId, image } = msg;
  try {
    if (!run) throw new Error('this run has no network yet');
    const views = run.imageViews(image);
    post({ type: 'image-views-result', requestId, views }, views ? imageViewBuffers(views) : []);
  } catch (err) {
    post({ type: 'image-views-result', requestId, views: null, error: err instanceof Error ? err.message : String(err) });
  }
}

/** Landscape lab: a loss slice through this run's (or a given) weights, with the run's trajectory projected. */
function handleSlice(msg: Extract<ToWorker, { type: 'slice' }>): void {
  const { requestId, type: _t, ...req } = msg;
  try {
    if (!run) throw new Error('this run has no network yet');
    const { net, data } = run.problem;
    const res = sliceForRun(net, data.xTrain, data.yTrain, flattenParams(run.params), run.iteration, run.snapshots.snaps, req);
    const transfer: Transferable[] = [res.center.buffer];
    if (res.grid) transfer.push(res.grid.values.buffer);
    post({ type: 'slice-result', requestId, backend: tf.getBackend(), ...res }, transfer);
  } catch (err) {
    post({ type: 'slice-result', requestId, backend: tf.getBackend(), error: err instanceof Error ? err.message : String(err) });
  }
}
