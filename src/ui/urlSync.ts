import { BACKEND_ORDER, type BackendName } from '../engine/backend';
import type { Experiment } from '../engine/experiment';
import type { FaultInjection } from '../workers/protocol';
import { decodeHash, encodeExperiment } from '../url/codec';
import { useStore } from '../state/store';

/**
 * Keeps the URL hash and the experiment in step: on load the hash (if any) is decoded and validated — a
 * damaged or tampered link shows a message and the defaults, never a broken page; afterwards every change to
 * the experiment rewrites the hash (replaceState: no history spam while editing).
 */
export function loadFromUrl(): void {
  const result = decodeHash(window.location.hash);
  const store = useStore.getState();
  if (result.ok === 'absent') return;
  if (result.ok === false) {
    store.notify('error', `This link could not be opened, so the default experiment is shown instead. ${result.errors.join('; ')}`);
    return;
  }
  store.setExperiment(result.value);
  for (const w of result.warnings) store.notify('info', w);
  const fault = new URLSearchParams(window.location.hash.slice(1)).get('fault');
  if (fault) {
    // Test-only hook (robustness e2e), deliberately not part of the Experiment.
    store.setFaults(parseFaults(fault, result.value));
  }
}

/** Test-only fault spec: "crash:<run>:<iteration>", "die:<run>" (uncaught error in the worker), "lose:<run>:<iteration>"
 * (backend lost mid-run), "failbackend:<name>". */
function parseFaults(spec: string, e: Experiment): (FaultInjection | undefined)[] {
  const faults: (FaultInjection | undefined)[] = e.runs.map(() => undefined);
  const failBackends: BackendName[] = [];
  for (const part of spec.split(',')) {
    const [kind, a, b] = part.split(':');
    const i = Number(a);
    const valid = Number.isInteger(i) && i >= 0 && i < faults.length;
    if (kind === 'crash' && valid) faults[i] = { ...faults[i], throwAtIteration: Number(b) || 20 };
    if (kind === 'die' && valid) faults[i] = { ...faults[i], uncaughtAfterMs: Number(b) || 500 };
    if (kind === 'lose' && valid) faults[i] = { ...faults[i], loseBackendAtIteration: Number(b) || 20 };
    if (kind === 'failbackend' && (BACKEND_ORDER as readonly string[]).includes(a)) failBackends.push(a as BackendName);
  }
  return faults.map((f) => (failBackends.length ? { ...f, failBackends } : f));
}

export function currentUrl(e: Experiment): string {
  return `${window.location.origin}${window.location.pathname}#${encodeExperiment(e)}`;
}

/** Rewrites the hash when the experiment changes — and only then: metric flushes change other parts of the store. */
export function startUrlSync(): () => void {
  let last = '';
  let seen: Experiment | undefined;
  return useStore.subscribe((s) => {
    if (s.experiment === seen) return;
    seen = s.experiment;
    const hash = `#${encodeExperiment(s.experiment)}`;
    if (hash !== last) {
      last = hash;
      window.history.replaceState(null, '', hash);
    }
  });
}
