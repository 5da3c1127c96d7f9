import type { BackendName, ProbeResult } from '../engine/backend';
import type { Experiment } from '../engine/experiment';
import { PROTOCOL_VERSION, type FaultInjection, type FromWorker, type JobOptions, type ToWorker } from './protocol';

/** Main-thread handle on one run's worker. The store owns these; React never talks to workers directly. */
export class RunClient {
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

  start(experiment: Experiment, runIndex: number, backend: BackendName, autoRun: boolean, fault?: FaultInjection, job?: JobOptions, wasmThreads = 1): void {
    this.send({ type: 'start', version: PROTOCOL_VERSION, experiment, runIndex, backend, autoRun, fault, job, wasmThreads });
  }

  terminate(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.worker.terminate();
  }
}

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
