import type { Experiment } from '../engine/experiment';
import { decodeHash, encodeExperiment } from '../url/codec';
import { useStore, type PlaygroundStore } from '../state/store';
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

export interface UrlSyncOptions {
  store?: PlaygroundStore;
  encode?: (e: Experiment) => string;
  /** Writes the hash to the address bar (replaceState: no history entry per edit). */
  writeHash?: (hash: string) => void;
  /** A page parameter the address keeps after the experiment (e.g. the embed flag, embed.ts). */
  keepInHash?: string;
}

/**
 * Rewrites the hash when the experiment changes — and only then: the store changes many times a second while
 * training (metric flushes, statuses), so the subscription selects the experiment and is not called for the rest.
 * Returns the unsubscribe function.
 */
export function startUrlSync({
  store = useStore,
  encode = encodeExperiment,
  writeHash = (hash) => window.history.replaceState(null, '', hash),
  keepInHash,
}: UrlSyncOptions = {}): () => void {
  let last = '';
  const write = (e: Experiment) => {
    const hash = `#${encode(e)}${keepInHash ? `&${keepInHash}` : ''}`;
    if (hash !== last) {
      last = hash;
      writeHash(hash);
    }
  };
  write(store.getState().experiment);
  return store.subscribe((s) => s.experiment, write);
}
