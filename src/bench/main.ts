/**
 * The speed-bench page (bench.html), driven by bench/run-all.mjs through Playwright. It starts real run workers
 * through the app's own protocol (RunClient → trainer.worker.ts) with a chosen backend and experiment, steps them
 * with 'step' messages and reports wall-clock timings; run-all reads tf.memory() inside the worker itself.
 * Not part of the app's UI.
 */
import type { BackendName } from '../engine/backend';
import { benchExperiment, type BenchProblem } from './experiment';
import { encodeExperiment } from '../url/codec';
import { probeInWorker, RunClient } from '../workers/client';
import { startMessage, type FromWorker } from '../workers/protocol';

interface Live {
  client: RunClient;
  t0: number;
  firstPointMs?: number;
  setupMs?: number;
  backend?: string;
  threads?: number;
  notices: string[];
  iteration: number;
  lastLoss: number;
  error?: string;
  waiters: ((msg: FromWorker) => void)[];
}

let live: Live | null = null;

function onMessage(msg: FromWorker): void {
  const l = live;
  if (!l) return;
  if (msg.type === 'ready') {
    l.setupMs = msg.setupMs;
    l.backend = msg.backend;
    l.threads = msg.threads;
    l.notices = msg.notices;
  } else if (msg.type === 'metrics' && msg.points.length) {
    if (l.firstPointMs === undefined) l.firstPointMs = performance.now() - l.t0;
    const p = msg.points[msg.points.length - 1];
    l.iteration = p.iteration;
    l.lastLoss = p.loss;
  } else if (msg.type === 'status' && (msg.status === 'error' || msg.status === 'diverged')) {
    l.error = msg.message ?? msg.status;
  }
  for (const w of [...l.waiters]) w(msg);
}

function waitFor(pred: (msg: FromWorker) => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const l = live!;
    const done = (ok: boolean) => {
      clearTimeout(timer);
      l.waiters = l.waiters.filter((w) => w !== waiter);
      resolve(ok);
    };
    const waiter = (msg: FromWorker) => {
      if (msg.type === 'status' && (msg.status === 'error' || msg.status === 'diverged')) done(false);
      else if (pred(msg)) done(true);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    l.waiters.push(waiter);
  });
}

const api = {
  urlHash(problem: BenchProblem, algorithm: string, backend: BackendName | 'auto', evalEvery = 20): string {
    return '#' + encodeExperiment(benchExperiment(problem, algorithm, backend, evalEvery));
  },

  /** Start a worker (autoRun off, `threads` WASM threads) and wait until it is ready. */
  async start(problem: BenchProblem, algorithm: string, backend: BackendName, threads = 1, timeoutMs = 60_000) {
    api.stop();
    const l: Live = { client: null as unknown as RunClient, t0: performance.now(), notices: [], iteration: 0, lastLoss: NaN, waiters: [] };
    live = l;
    l.client = new RunClient(onMessage, (m) => {
      l.error = `worker crashed: ${m}`;
      for (const w of [...l.waiters]) w({ type: 'status', status: 'error', iteration: l.iteration, message: l.error });
    });
    l.client.send(startMessage({ experiment: benchExperiment(problem, algorithm, backend), runIndex: 0, backend, autoRun: false, wasmThreads: threads }));
    const ok = await waitFor((m) => m.type === 'status' && m.status === 'paused', timeoutMs);
    return { ok, backend: l.backend, threads: l.threads, setupMs: l.setupMs, notices: l.notices, error: l.error, isolated: crossOriginIsolated };
  },

  /** Ask for `count` steps; resolve when the worker pauses after them (or after a pause sent at the timeout). */
  async steps(count: number, timeoutMs: number) {
    const l = live!;
    const it0 = l.iteration;
    const t0 = performance.now();
    l.client.send({ type: 'step', count });
    // The worker also reports 'paused' right after start (twice), so wait for the pause at the target iteration.
    let ok = await waitFor((m) => m.type === 'status' && m.status === 'paused' && m.iteration >= it0 + count, timeoutMs);
    if (!ok && !l.error) {
      l.client.send({ type: 'pause' });
      ok = await waitFor((m) => m.type === 'status' && m.status === 'paused' && m.iteration > it0, 30_000);
    }
    const ms = performance.now() - t0;
    return { ok, iterations: l.iteration - it0, ms, iteration: l.iteration, loss: l.lastLoss, firstPointMs: l.firstPointMs, error: l.error };
  },

  /** The app's automatic backend probe (what 'auto' picks on a first visit). */
  probe() {
    return probeInWorker(60_000);
  },

  stop(): void {
    if (live) {
      live.client.terminate();
      live = null;
    }
  },
};

(window as unknown as { __bench: typeof api }).__bench = api;
document.title += ' (ready)';
