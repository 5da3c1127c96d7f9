import type { BackendName, ProbeResult } from '../engine/backend';
import { BACKEND_ORDER } from '../engine/backend';
import { probeInWorker } from '../workers/client';

/**
 * The automatic backend. The probe (the fastest backend that works here) runs once in a throwaway worker and is
 * remembered in localStorage. No run waits for it: a run started while it is still going (a first visit) trains on
 * FIRST_VISIT_BACKEND, which initialises everywhere TF.js runs and is never the slow one (the software WebGPU
 * adapter of a GPU-less machine takes seconds per step); the probe's answer decides the runs started after it.
 * A stored value that is not a known backend is ignored.
 *
 * The page starts the probe PROBE_START_DELAY_MS after it opens (scheduleProbe), not at once: a visitor who presses
 * Run straight away should get the whole machine for that first run (the probe's worker loads the same 3 MB of
 * TF.js and compiles WASM beside it); the probe then runs once no run trains.
 *
 * The probe yields to training: while a live run trains, it is stopped and starts again once no run has trained for
 * PROBE_RESUME_IDLE_MS. Measured in headless Chromium on two cores: with two runs training beside it, the probe's
 * software WebGL/WebGPU work kept the page from painting for 13 s (no animation frame, so no plot redraw) and
 * delayed the runs' first points by seconds; the probe alone leaves the page painting. A batch job (a sweep) that
 * needs the answer starts it at once and it is not stopped then (autoBackend).
 */
const KEY = 'optimizer-playground.backend-probe.v1';

const PROBE_TIMEOUT_MS = 180_000;
const PROBE_RESUME_IDLE_MS = 1000;
export const PROBE_START_DELAY_MS = 3000;

/** The backend of runs started before the probe has answered. */
export const FIRST_VISIT_BACKEND: BackendName = 'wasm';

export function rememberedProbe(): ProbeResult | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as ProbeResult;
    return (BACKEND_ORDER as readonly string[]).includes(parsed.backend) ? parsed : null;
  } catch {
    return null;
  }
}

/** Where the probe stands in this page (for the run cards and the first-visit test). */
export interface ProbeState {
  /** 'waiting': stopped while a live run trains; it starts again when no run trains. */
  status: 'not started' | 'running' | 'waiting' | 'done';
  /** performance.now() when the probe finished (done only). */
  finishedAt?: number;
  result?: ProbeResult;
}

let state: ProbeState = { status: 'not started' };
let inFlight: Promise<ProbeResult> | null = null;
let abortProbe: AbortController | null = null;
/** A batch job waits for this probe: it is not stopped for live runs. */
let mustFinish = false;
let liveRunsTraining = false;
let resumeTimer: ReturnType<typeof setTimeout> | null = null;
let startTimer: ReturnType<typeof setTimeout> | null = null;
const listeners = new Set<(s: ProbeState) => void>();

export function probeState(): ProbeState {
  return state;
}

export function onProbeState(listener: (s: ProbeState) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setState(s: ProbeState): void {
  state = s;
  for (const l of listeners) l(s);
}

/** Drop the page-load start of the probe, if one is scheduled. */
function cancelScheduledStart(): void {
  if (startTimer !== null) clearTimeout(startTimer);
  startTimer = null;
}

/** Start the probe after `delayMs` (page load), unless its answer is remembered or it has started meanwhile. */
export function scheduleProbe(delayMs = PROBE_START_DELAY_MS): void {
  if (rememberedProbe()) {
    startProbe();
    return;
  }
  cancelScheduledStart();
  startTimer = setTimeout(() => {
    startTimer = null;
    if (state.status === 'not started') startProbe();
  }, delayMs);
}

/** Start the probe in the background unless its answer is remembered, it is already running, or a run trains. */
export function startProbe(): void {
  cancelScheduledStart();
  const known = rememberedProbe();
  if (known) {
    if (state.status !== 'done') setState({ status: 'done', result: known });
    return;
  }
  if (inFlight) return;
  if (liveRunsTraining && !mustFinish) {
    if (state.status !== 'waiting') setState({ status: 'waiting' });
    return;
  }
  setState({ status: 'running' });
  const abort = new AbortController();
  abortProbe = abort;
  // No run waits for the probe, so it may take its time: on a loaded machine the software GPU backends alone can
  // need tens of seconds (a probe that times out is not remembered and runs again on the next visit).
  const probe = probeInWorker(PROBE_TIMEOUT_MS, abort.signal)
    .then((r) => {
      try {
        localStorage.setItem(KEY, JSON.stringify(r));
      } catch {
        /* private mode: just probe again next time */
      }
      return r;
    })
    .catch((err): ProbeResult => {
      if (abort.signal.aborted) throw err;
      return { backend: FIRST_VISIT_BACKEND, timings: {}, notices: [`backend probe failed (${err.message}); using ${FIRST_VISIT_BACKEND}`] };
    })
    .then((r) => {
      setState({ status: 'done', finishedAt: performance.now(), result: r });
      return r;
    })
    .finally(() => {
      if (inFlight === probe) inFlight = null;
      if (abortProbe === abort) abortProbe = null;
    });
  probe.catch(() => undefined); // a stopped probe is not an error; whoever needs an answer starts it again
  inFlight = probe;
}

/**
 * The store reports whether any live run is starting or training. A probe in progress stops for them (unless a
 * batch job waits for it); a stopped one starts again after PROBE_RESUME_IDLE_MS without training.
 */
export function setLiveRunsTraining(training: boolean): void {
  if (training === liveRunsTraining) return;
  liveRunsTraining = training;
  if (resumeTimer !== null) clearTimeout(resumeTimer);
  resumeTimer = null;
  if (training) {
    if (abortProbe && !mustFinish) {
      abortProbe.abort(new Error('backend probe stopped: a run is training'));
      abortProbe = null;
      inFlight = null;
      setState({ status: 'waiting' });
    }
  } else if (state.status === 'waiting')
    resumeTimer = setTimeout(() => {
      resumeTimer = null;
      startProbe();
    }, PROBE_RESUME_IDLE_MS);
}

/** The probe's answer, waiting for it if needed (batch jobs such as sweeps; a live run uses autoBackendNow). */
export async function autoBackend(): Promise<ProbeResult> {
  const known = state.result ?? rememberedProbe();
  if (known) return known;
  mustFinish = true;
  startProbe();
  return inFlight ?? Promise.resolve(state.result ?? { backend: FIRST_VISIT_BACKEND, timings: {}, notices: [] });
}

export interface AutoChoice {
  backend: BackendName;
  notices: string[];
  /** 'probe': the probe's answer (this visit or remembered); 'before probe': the probe had not answered yet. */
  source: 'probe' | 'before probe';
}

/** The backend a run started now would get, without starting or stopping anything (to ready spare workers). */
export function autoBackendPeek(): BackendName {
  return (state.result ?? rememberedProbe())?.backend ?? FIRST_VISIT_BACKEND;
}

/** The backend for a run starting now, without waiting: the probe's answer if there is one, else FIRST_VISIT_BACKEND. */
export function autoBackendNow(): AutoChoice {
  const known = state.result ?? rememberedProbe();
  if (known) return { backend: known.backend, notices: known.notices, source: 'probe' };
  // The run about to start has the machine first: the probe starts once no run trains (setLiveRunsTraining).
  if (state.status === 'not started') {
    cancelScheduledStart();
    setState({ status: 'waiting' });
  }
  return { backend: FIRST_VISIT_BACKEND, notices: [], source: 'before probe' };
}

export function forgetProbe(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    /* ignore */
  }
}

/**
 * WASM threads for a run: more than one only when it trains alone (several runs already share the cores, one
 * worker each) and the page is cross-origin isolated (SharedArrayBuffer); at most 4 (XNNPACK gains little beyond
 * on these layer sizes).
 */
export function wasmThreadsFor(runCount: number): number {
  if (runCount !== 1 || !globalThis.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
}
