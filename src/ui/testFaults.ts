import { BACKEND_ORDER, type BackendName } from '../engine/backend';
import type { Experiment } from '../engine/experiment';
import type { FaultInjection } from '../workers/protocol';

/**
 * Test-only fault spec from the `fault=` hash parameter, read only by the e2e test build (urlSync.ts):
 * "crash:<run>:<iteration>", "die:<run>" (uncaught error in the worker), "lose:<run>:<iteration>" (backend lost
 * mid-run), "failbackend:<name>", "corrupt:<name>[:<iteration>]" (the backend's self-check reads zeros, from that
 * iteration on if given: a backend that computes wrong numbers).
 */
export function parseFaults(spec: string, e: Experiment): (FaultInjection | undefined)[] {
  const faults: (FaultInjection | undefined)[] = e.runs.map(() => undefined);
  const failBackends: BackendName[] = [];
  const corruptBackends: NonNullable<FaultInjection['corruptBackends']> = [];
  for (const part of spec.split(',')) {
    const [kind, a, b] = part.split(':');
    const i = Number(a);
    const valid = Number.isInteger(i) && i >= 0 && i < faults.length;
    if (kind === 'crash' && valid) faults[i] = { ...faults[i], throwAtIteration: Number(b) || 20 };
    if (kind === 'die' && valid) faults[i] = { ...faults[i], uncaughtAfterMs: Number(b) || 500 };
    if (kind === 'lose' && valid) faults[i] = { ...faults[i], loseBackendAtIteration: Number(b) || 20 };
    if (kind === 'failbackend' && (BACKEND_ORDER as readonly string[]).includes(a)) failBackends.push(a as BackendName);
    if (kind === 'corrupt' && (BACKEND_ORDER as readonly string[]).includes(a))
      corruptBackends.push({ backend: a as BackendName, fromIteration: Number(b) > 0 ? Number(b) : undefined });
  }
  const shared: FaultInjection = { ...(failBackends.length ? { failBackends } : {}), ...(corruptBackends.length ? { corruptBackends } : {}) };
  return faults.map((f) => (Object.keys(shared).length ? { ...f, ...shared } : f));
}
