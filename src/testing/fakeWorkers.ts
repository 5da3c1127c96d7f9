import type { FromWorker, ToWorker } from '../workers/protocol';
import type { RunWorkerFactory, RunWorkerHandle } from '../workers/runWorker';

/** A stand-in for a run's worker in unit tests: records what it is sent; the test plays the worker's replies. */
export class FakeWorker implements RunWorkerHandle {
  sent: ToWorker[] = [];
  terminated = false;
  constructor(
    readonly emit: (msg: FromWorker) => void,
    readonly crash: (message: string) => void,
  ) {}
  send(msg: ToWorker): void {
    if (!this.terminated) this.sent.push(msg);
  }
  terminate(): void {
    this.terminated = true;
  }
  sentTypes(): string[] {
    return this.sent.map((m) => m.type);
  }
}

/** A worker factory that keeps every worker it made, in order. */
export function fakeWorkers(): { factory: RunWorkerFactory; made: FakeWorker[] } {
  const made: FakeWorker[] = [];
  return {
    made,
    factory: (onMessage, onCrash) => {
      const w = new FakeWorker(onMessage, onCrash);
      made.push(w);
      return w;
    },
  };
}
