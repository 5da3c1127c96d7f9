import type { BackendName, ProbeResult } from '../engine/backend';
import { BACKEND_ORDER } from '../engine/backend';
import { probeInWorker } from '../workers/client';

/**
 * The automatic backend: probed once in a throwaway worker, remembered in localStorage so later visits start
 * at once. A stored value that is not a known backend is ignored.
 */
const KEY = 'optimizer-playground.backend-probe.v1';

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

let inFlight: Promise<ProbeResult> | null = null;

export async function autoBackend(): Promise<ProbeResult> {
  const known = rememberedProbe();
  if (known) return known;
  if (!inFlight)
    inFlight = probeInWorker()
      .then((r) => {
        try {
          localStorage.setItem(KEY, JSON.stringify(r));
        } catch {
          /* private mode: just probe again next time */
        }
        return r;
      })
      .catch((err): ProbeResult => ({ backend: 'cpu' as BackendName, timings: {}, notices: [`backend probe failed (${err.message}); using CPU`] }))
      .finally(() => (inFlight = null));
  return inFlight;
}

export function forgetProbe(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    /* ignore */
  }
}
