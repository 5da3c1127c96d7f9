import type { BackendName, ProbeResult } from '../engine/backend';
import { BACKEND_ORDER } from '../engine/backend';
import { probeInWorker } from '../workers/client';

/**
 * The automatic backend. The probe (the fastest backend that works here) runs once in a throwaway worker and is
 * remembered in localStorage. No run waits for it: a run started while it is still going (a first visit) trains on
 * FIRST_VISIT_BACKEND, which initialises everywhere TF.js runs and is never the slow one (the software WebGPU
 * adapter of a GPU-less machine takes seconds per step); the probe's answer decides the runs started after it.
 * A stored value that is not a known backend is ignored.
 */
const KEY = 'optimizer-playground.backend-probe.v1';

const PROBE_TIMEOUT_MS = 180_000;

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
  status: 'not started' | 'running' | 'done';
  /** performance.now() when the probe finished (done only). */
  finishedAt?: number;
  result?: ProbeResult;
}

let state: ProbeState = { status: 'not started' };
let inFlight: Promise<ProbeResult> | null = null;
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

/** Start the probe in the background unless its answer is remembered or it is already running. */
export function startProbe(): void {
  const known = rememberedProbe();
  if (known) {
    if (state.status !== 'done') setState({ status: 'done', result: known });
    return;
  }
  if (inFlight) return;
  setState({ status: 'running' });
  // No run waits for the probe, so it may take its time: on a loaded machine the software GPU backends alone can
  // need tens of seconds (a probe that times out is not remembered and runs again on the next visit).
  inFlight = probeInWorker(PROBE_TIMEOUT_MS)
    .then((r) => {
      try {
        localStorage.setItem(KEY, JSON.stringify(r));
      } catch {
        /* private mode: just probe again next time */
      }
      return r;
    })
    .catch((err): ProbeResult => ({ backend: FIRST_VISIT_BACKEND, timings: {}, notices: [`backend probe failed (${err.message}); using ${FIRST_VISIT_BACKEND}`] }))
    .then((r) => {
      setState({ status: 'done', finishedAt: performance.now(), result: r });
      return r;
    })
    .finally(() => (inFlight = null));
}

/** The probe's answer, waiting for it if needed (batch jobs such as sweeps; a live run uses autoBackendNow). */
export async function autoBackend(): Promise<ProbeResult> {
  const known = state.result ?? rememberedProbe();
  if (known) return known;
  startProbe();
  return inFlight ?? Promise.resolve(state.result ?? { backend: FIRST_VISIT_BACKEND, timings: {}, notices: [] });
}

export interface AutoChoice {
  backend: BackendName;
  notices: string[];
  /** 'probe': the probe's answer (this visit or remembered); 'before probe': the probe had not answered yet. */
  source: 'probe' | 'before probe';
}

/** The backend for a run starting now, without waiting: the probe's answer if there is one, else FIRST_VISIT_BACKEND. */
export function autoBackendNow(): AutoChoice {
  const known = state.result ?? rememberedProbe();
  if (known) return { backend: known.backend, notices: known.notices, source: 'probe' };
  startProbe();
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
