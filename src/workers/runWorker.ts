import type { FromWorker, ToWorker } from './protocol';

/**
 * The main thread's side of one run's worker, for live runs (liveRuns.ts) and pool jobs (pool.ts) alike: the
 * RunClient of client.ts in the app, a fake in unit tests (src/testing/fakeWorkers.ts).
 */
export interface RunWorkerHandle {
  send(msg: ToWorker): void;
  terminate(): void;
}

/** Makes one run's worker: its messages go to `onMessage`; a crash (uncaught error, failed load) to `onCrash`. */
export type RunWorkerFactory = (onMessage: (msg: FromWorker) => void, onCrash: (message: string) => void) => RunWorkerHandle;

/**
 * Open a run's worker with the one crash path every user of a worker shares: a crashed worker is ended before the
 * crash is reported (a half-alive worker must not overwrite the report with a late message), and the report says
 * what happened ("the worker crashed: …").
 */
export function openRunWorker(
  factory: RunWorkerFactory,
  onMessage: (msg: FromWorker) => void,
  onCrash: (report: string) => void,
): RunWorkerHandle {
  const handle = factory(onMessage, (message) => {
    handle.terminate();
    onCrash(`the worker crashed: ${message}`);
  });
  return handle;
}
