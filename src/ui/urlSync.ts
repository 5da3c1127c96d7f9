import type { Experiment } from '../engine/experiment';
import { decodeHash, encodeExperiment } from '../url/codec';
import { useStore } from '../state/store';
import { parseFaults } from './testFaults';

/**
 * Keeps the URL hash and the experiment in step: on load the hash (if any) is decoded and validated — a
 * damaged or tampered link shows a message and the defaults, never a broken page. From then on the address bar
 * always holds the whole experiment shown, starting with the first load (so a bare address copied after pressing
 * Run reproduces this experiment, not whatever defaults a later version has); every change rewrites it
 * (replaceState: no history spam while editing).
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
  // Test-only hook (robustness e2e), deliberately not part of the Experiment; compiled out of the production
  // build (see trainer.worker.ts TEST_HOOKS), where a `fault=` parameter does nothing.
  if (import.meta.env.VITE_TEST_HOOKS === 'on') {
    const fault = new URLSearchParams(window.location.hash.slice(1)).get('fault');
    if (fault) store.setFaults(parseFaults(fault, result.value));
  }
}

export function currentUrl(e: Experiment): string {
  return `${window.location.origin}${window.location.pathname}#${encodeExperiment(e)}`;
}

/** Rewrites the hash when the experiment changes — and only then: metric flushes change other parts of the store. */
export function startUrlSync(): () => void {
  let last = '';
  let lastExperiment: Experiment | undefined;
  const write = (e: Experiment) => {
    // The store changes many times a second while training; only a new experiment object needs encoding.
    if (e === lastExperiment) return;
    lastExperiment = e;
    const hash = `#${encodeExperiment(e)}`;
    if (hash !== last) {
      last = hash;
      window.history.replaceState(null, '', hash);
    }
  };
  write(useStore.getState().experiment);
  return useStore.subscribe((s) => write(s.experiment));
}
