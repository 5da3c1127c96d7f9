import type { BackendName } from '../engine/backend';
import type { BoundaryGrid, MetricPoint } from '../engine/types';
import type { FromWorker, RunStatus } from '../workers/protocol';

/**
 * The runs-and-metrics part of the store: one view per run, and what a worker's message does to it. Pure apart
 * from `points`, which is appended to (and cleared) in place so that 100k-point arrays are not copied on every
 * batch — `version` tells React when to look again.
 */
export interface RunView {
  status: RunStatus | 'idle';
  backend?: BackendName;
  /** Why this backend: the experiment names it ('chosen'), or 'auto' took the probe's answer or ran before it. */
  backendSource?: 'probe' | 'before probe' | 'chosen';
  /** WASM threads the run trains with (1 on other backends). */
  threads?: number;
  /** performance.now() when the run's worker was started. */
  startedAt?: number;
  notices: string[];
  message?: string;
  /** All points, kept in full for export; plots decimate for display. Mutated in place — watch `version`. */
  points: MetricPoint[];
  boundary?: BoundaryGrid;
  paramCount?: number;
  /** Milliseconds from pressing Run to the first metrics message. */
  firstPointMs?: number;
  version: number;
}

export interface RunUpdate {
  /** Fields to replace (the store bumps `version` with them); null when nothing but the points changed. */
  patch: Partial<RunView> | null;
  /** New points only: the store signals them with its throttled metrics flush. */
  flush: boolean;
}

/** Apply one worker message to its run's view. `sinceRunMs`: milliseconds since Run was pressed. */
export function reduceRunMessage(r: RunView, msg: FromWorker, sinceRunMs: number): RunUpdate {
  switch (msg.type) {
    case 'ready':
      return { patch: { backend: msg.backend, threads: msg.threads, notices: [...r.notices, ...msg.notices], paramCount: msg.paramCount }, flush: false };
    case 'metrics':
      for (const p of msg.points) r.points.push(p);
      return r.firstPointMs === undefined ? { patch: { firstPointMs: sinceRunMs }, flush: false } : { patch: null, flush: true };
    case 'boundary':
      return { patch: { boundary: msg.grid }, flush: false };
    case 'restarted':
      // The backend was lost: the run starts again from iteration 0, its earlier points are void.
      r.points.length = 0;
      return { patch: { backend: msg.backend, notices: [...r.notices, msg.notice, ...msg.notices], boundary: undefined }, flush: false };
    case 'status':
      return { patch: { status: msg.status, message: msg.message ?? (msg.status === 'error' ? 'unknown error' : r.message) }, flush: false };
    default:
      // Replies to requests (weights, slices, lifted views, probes) go to their waiter (RunWorkers.ask), not into the view.
      return { patch: null, flush: false };
  }
}
