import type { ProbeResult } from '../engine/backend';
import type { FromWorker, ToWorker } from './protocol';
import type { RunWorkerFactory, RunWorkerHandle } from './runWorker';

/**
 * Main-thread handle on one run's worker (the app's RunWorkerFactory makes these). The store owns them, through
 * liveRuns.ts and pool.ts; React never talks to workers directly.
 */
export class RunClient implements RunWorkerHandle {
  private worker: Worker;
  private disposed = false;

  constructor(onMessage: (msg: FromWorker) => void, onCrash: (message: string) => void) {
    this.worker = new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (ev: MessageEvent<FromWorker>) => {
      if (!this.disposed) onMessage(ev.data);
    };
    // An uncaught error or a failed module load kills the worker: report it on the run.
    this.worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      if (!this.disposed) onCrash(ev.message || 'the worker crashed');
    };
    this.worker.onmessageerror = () => {
      if (!this.disposed) onCrash('a message from the worker could not be read');
    };
  }

  send(msg: ToWorker): void {
    if (!this.disposed) this.worker.postMessage(msg);
  }

  terminate(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.worker.terminate();
  }
}

/** The app's worker factory: a trainer Web Worker per run. */
export const newRunClient: RunWorkerFactory = (onMessage, onCrash) => new RunClient(onMessage, onCrash);

/** Run the backend probe in a throwaway worker; `signal` ends it early (the worker is terminated, the promise rejects). */
export function probeInWorker(timeoutMs = 20000, signal?: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module' });
    const timer = setTimeout(() => {
      worker.terminate();
      reject(new Error('backend probe timed out'));
    }, timeoutMs);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      worker.terminate();
      reject(signal.reason);
    });
    worker.onmessage = (ev: MessageEvent<FromWorker>) => {
      if (ev.data.type === 'probe-result') {
        clearTimeout(timer);
        worker.terminate();
        resolve(ev.data.result);
      } else if (ev.data.type === 'status' && ev.data.status === 'error') {
        clearTimeout(timer);
        worker.terminate();
        reject(new Error(ev.data.message));
      }
    };
    worker.onerror = (ev) => {
      clearTimeout(timer);
      worker.terminate();
      reject(new Error(ev.message || 'probe worker crashed'));
    };
    worker.postMessage({ type: 'probe' } satisfies ToWorker);
  });
}
