import type { BackendName } from '../engine/backend';
import type { FromWorker, ToWorker } from './protocol';
import { openRunWorker, type RunWorkerFactory, type RunWorkerHandle } from './runWorker';

/** What a run's worker is readied for before it starts: its backend and WASM thread count. */
export interface WorkerWarmth {
  backend: BackendName;
  wasmThreads: number;
}

interface Route {
  onMessage: (msg: FromWorker) => void;
  /** The crash report (openRunWorker's, the worker already ended). */
  onCrash: (report: string) => void;
}

interface Spare {
  handle: RunWorkerHandle;
  warmth: WorkerWarmth;
  /** Where its messages go once a run takes it (until then they are dropped). */
  route: Route | null;
}

/**
 * The live runs' workers, one per run index, and the one request/reply mechanism over them (weights, lifted views,
 * landscape slices). Owned by the runs slice of the store (src/state/runsSlice.ts); the sweeps' workers are the
 * pool's (pool.ts), made by the same factory with the same crash path.
 *
 * Spare workers: while no run trains, the store keeps as many readied workers as the experiment has runs (prewarm),
 * and a run that starts with the same warmth takes one. Measured in headless Chromium on 2 cores, a new worker took
 * 0.8–0.9 s from Run to its 'ready' (loading 3 MB of TF.js, compiling the WASM binary) of the 1.0–1.9 s to the first
 * plotted point; a spare has done that before Run is pressed.
 */
export class LiveRunWorkers {
  private workers: (RunWorkerHandle | null)[] = [];
  private spares: Spare[] = [];
  /** Waiters for replies: each sees every message of every run until it accepts one or times out. */
  private waiters = new Set<(runIndex: number, msg: FromWorker) => void>();
  private nextRequestId = 1;

  constructor(private readonly factory: RunWorkerFactory) {}

  /**
   * Replace run `runIndex`'s worker with a new one. Its messages pass the reply waiters first, then go to
   * `onMessage`; a crash is reported to `onCrash` (openRunWorker: the worker is ended first, the report says so).
   */
  start(runIndex: number, onMessage: (msg: FromWorker) => void, onCrash: (report: string) => void, warmth?: WorkerWarmth): RunWorkerHandle {
    this.workers[runIndex]?.terminate();
    const route: Route = {
      onMessage: (msg) => {
        onMessage(msg);
        for (const w of [...this.waiters]) w(runIndex, msg);
      },
      onCrash,
    };
    const spareAt = warmth ? this.spares.findIndex((s) => sameWarmth(s.warmth, warmth)) : -1;
    const worker = spareAt >= 0 ? this.takeSpare(spareAt, route) : openRunWorker(this.factory, route.onMessage, route.onCrash);
    this.workers[runIndex] = worker;
    return worker;
  }

  /**
   * Keep `count` spare workers readied for `warmth` (spares readied for another are ended). A spare that crashes
   * before a run takes it is dropped.
   */
  prewarm(count: number, warmth: WorkerWarmth): void {
    this.spares = this.spares.filter((s) => {
      if (sameWarmth(s.warmth, warmth)) return true;
      s.handle.terminate();
      return false;
    });
    while (this.spares.length < count) {
      let spare: Spare | undefined;
      const handle = openRunWorker(
        this.factory,
        (msg) => spare?.route?.onMessage(msg),
        (report) => {
          if (spare?.route) return spare.route.onCrash(report);
          this.spares = this.spares.filter((s) => s !== spare);
        },
      );
      spare = { handle, warmth, route: null };
      handle.send({ type: 'warm-up', ...warmth });
      this.spares.push(spare);
    }
  }

  get spareCount(): number {
    return this.spares.length;
  }

  private takeSpare(at: number, route: Route): RunWorkerHandle {
    const [spare] = this.spares.splice(at, 1);
    spare.route = route;
    return spare.handle;
  }

  /** Send to run `runIndex`'s worker; nothing happens when it has none. */
  send(runIndex: number, msg: ToWorker): void {
    this.workers[runIndex]?.send(msg);
  }

  has(runIndex: number): boolean {
    return !!this.workers[runIndex];
  }

  /** End every run's worker (the spares stay: they belong to no run). */
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

function sameWarmth(a: WorkerWarmth, b: WorkerWarmth): boolean {
  return a.backend === b.backend && a.wasmThreads === b.wasmThreads;
}
