import type { FromWorker, ToWorker } from '../workers/protocol';

/** What the store needs of one run's worker (src/workers/client.ts RunClient; a fake in unit tests). */
export interface RunWorkerHandle {
  send(msg: ToWorker): void;
  terminate(): void;
}

/** Makes the worker of one run: its messages go to `onMessage`; a crash (uncaught error, failed load) to `onCrash`. */
export type RunWorkerFactory = (onMessage: (msg: FromWorker) => void, onCrash: (message: string) => void) => RunWorkerHandle;

/**
 * The live runs' workers, one per run index, and the one request/reply mechanism over them (weights, lifted views,
 * landscape slices). Owned by the runs slice of the store (src/state/runsSlice.ts); nothing else holds a worker.
 */
export class RunWorkers {
  private workers: (RunWorkerHandle | null)[] = [];
  /** Waiters for replies: each sees every message of every run until it accepts one or times out. */
  private waiters = new Set<(runIndex: number, msg: FromWorker) => void>();
  private nextRequestId = 1;

  constructor(private readonly factory: RunWorkerFactory) {}

  /**
   * Replace run `runIndex`'s worker with a new one. Its messages pass the reply waiters first, then go to
   * `onMessage`; on a crash the worker is ended (a half-alive worker must not overwrite the report) and `onCrash` told.
   */
  start(runIndex: number, onMessage: (msg: FromWorker) => void, onCrash: (message: string) => void): RunWorkerHandle {
    this.workers[runIndex]?.terminate();
    const worker = this.factory(
      (msg) => {
        onMessage(msg);
        for (const w of [...this.waiters]) w(runIndex, msg);
      },
      (message) => {
        worker.terminate();
        onCrash(message);
      },
    );
    this.workers[runIndex] = worker;
    return worker;
  }

  /** Send to run `runIndex`'s worker; nothing happens when it has none. */
  send(runIndex: number, msg: ToWorker): void {
    this.workers[runIndex]?.send(msg);
  }

  has(runIndex: number): boolean {
    return !!this.workers[runIndex];
  }

  terminateAll(): void {
    for (const w of this.workers) w?.terminate();
    this.workers = [];
  }

  /** A fresh id for a request whose reply echoes it (slices, lifted views). */
  requestId(): number {
    return this.nextRequestId++;
  }

  /**
   * Send `msg` to run `runIndex`'s worker and resolve with the first reply `pick` accepts, or null when the run has
   * no worker or nothing answers within timeoutMs (the waiter is removed either way).
   */
  ask<T>(runIndex: number, msg: ToWorker, pick: (m: FromWorker) => T | undefined, timeoutMs: number): Promise<T | null> {
    return new Promise((resolve) => {
      const worker = this.workers[runIndex];
      if (!worker) return resolve(null);
      const done = (v: T | null) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(v);
      };
      const waiter = (i: number, m: FromWorker) => {
        if (i !== runIndex) return;
        const v = pick(m);
        if (v !== undefined) done(v);
      };
      const timer = setTimeout(() => done(null), timeoutMs);
      this.waiters.add(waiter);
      worker.send(msg);
    });
  }

  /** Reply waiters still open (for tests: none may be left behind). */
  get pendingRequests(): number {
    return this.waiters.size;
  }
}
