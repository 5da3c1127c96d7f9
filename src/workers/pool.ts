import type { BackendName } from '../engine/backend';
import type { Job } from '../sweeps/jobs';
import type { EvalPoint, JobSummary } from '../sweeps/stats';
import { startMessage, type FromWorker, type MetricPoint } from './protocol';
import { openRunWorker, type RunWorkerFactory, type RunWorkerHandle } from './runWorker';
import { JobScheduler, type Progress } from './scheduler';

/**
 * A pool of run workers for many short jobs (seed replicates, sweep trials). Each slot holds one ordinary run
 * worker (made by the store's one worker factory and opened with the one crash path, runWorker.ts; started with
 * the one start message, protocol.ts startMessage — the same training path as a live run) and reuses it from job to
 * job: 'stop' disposes the finished run, the next 'start' builds the next one, so TF.js and the backend load once
 * per slot. The bookkeeping (queue, pause, cancel, time left) is JobScheduler's.
 *
 * Size: navigator.hardwareConcurrency, capped at POOL_CAP. Each worker holds its own TF.js with its data and
 * weights (tens of MB), and on GPU backends its own context (Chromium keeps at most 16 WebGL contexts alive); past
 * 8 workers a 2-D sweep gains nothing measurable while memory keeps growing. The main thread only receives
 * batched messages (≤ ~7 a second per worker) and keeps evaluation points, so it stays free for the UI.
 */
export const POOL_CAP = 8;

/** Pool jobs train side by side, one per core: one WASM thread each. */
const POOL_WASM_THREADS = 1;

export function poolSize(hardwareConcurrency: number | undefined): number {
  const n = Number.isFinite(hardwareConcurrency) && (hardwareConcurrency ?? 0) >= 1 ? Math.floor(hardwareConcurrency!) : 2;
  return Math.min(POOL_CAP, Math.max(1, n));
}

/** Evaluation points kept per job (more are thinned evenly, the last one always kept). */
export const MAX_JOB_POINTS = 400;

export function thin(points: EvalPoint[], max = MAX_JOB_POINTS): EvalPoint[] {
  if (points.length <= max) return points;
  const out: EvalPoint[] = [];
  const stride = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * stride)]);
  return out;
}

function toEval(p: MetricPoint): EvalPoint {
  return { iteration: p.iteration, cost: p.cost, time: p.time, epoch: p.epoch, trainLoss: p.trainLoss!, testLoss: p.testLoss, testAccuracy: p.testAccuracy };
}

interface Slot {
  worker: RunWorkerHandle | null;
  /** Scheduler id of the job it runs, or null when idle. */
  jobId: number | null;
  job: Job | null;
  /** Messages before 'ready' belong to the previous job's teardown ('stopped') and are ignored. */
  ready: boolean;
  points: EvalPoint[];
  startedAt: number;
  backend?: string;
}

export interface PoolCallbacks {
  onResult(key: string, summary: JobSummary): void;
  onProgress(p: Progress): void;
}

export class WorkerPool {
  private readonly scheduler: JobScheduler<Job>;
  private readonly slots: Slot[];
  private readonly byId = new Map<number, Job>();

  constructor(
    readonly size: number,
    private readonly backend: () => Promise<BackendName>,
    private readonly callbacks: PoolCallbacks,
    private readonly newWorker: RunWorkerFactory,
  ) {
    this.scheduler = new JobScheduler<Job>(size, () => performance.now());
    this.slots = Array.from({ length: size }, () => ({ worker: null, jobId: null, job: null, ready: false, points: [], startedAt: 0 }));
  }

  submit(jobs: Job[]): void {
    const ids = this.scheduler.add(jobs);
    ids.forEach((id, k) => this.byId.set(id, jobs[k]));
    this.report();
    void this.pump();
  }

  progress(): Progress {
    return this.scheduler.progress();
  }

  pause(): void {
    this.scheduler.pause();
    for (const s of this.slots) if (s.jobId !== null && s.ready) s.worker?.send({ type: 'pause' });
    this.report();
  }

  resume(): void {
    this.scheduler.resume();
    for (const s of this.slots) if (s.jobId !== null && s.ready) s.worker?.send({ type: 'resume' });
    this.report();
    void this.pump();
  }

  /** Drop the queue and end the running jobs' workers at once (their partial results are discarded). */
  cancel(): void {
    this.scheduler.cancel();
    for (const s of this.slots) {
      if (s.jobId !== null) {
        s.worker?.terminate();
        s.worker = null;
      }
      this.resetSlot(s);
    }
    this.byId.clear();
    this.report();
  }

  dispose(): void {
    this.cancel();
    for (const s of this.slots) s.worker?.terminate();
  }

  private resetSlot(s: Slot): void {
    s.jobId = null;
    s.job = null;
    s.ready = false;
    s.points = [];
  }

  private report(): void {
    this.callbacks.onProgress(this.scheduler.progress());
  }

  private async pump(): Promise<void> {
    const launches = this.scheduler.take();
    if (!launches.length) return;
    const backend = await this.backend();
    for (const l of launches) {
      const slot = this.slots.find((s) => s.jobId === null);
      if (!slot) throw new Error('worker pool: the scheduler handed out more jobs than there are slots');
      // A cancel while the backend was being chosen: the scheduler has forgotten this launch.
      if (!this.byId.has(l.id)) continue;
      slot.jobId = l.id;
      slot.job = l.job;
      slot.ready = false;
      slot.points = [];
      slot.startedAt = performance.now();
      if (!slot.worker) slot.worker = this.openWorker(slot);
      slot.worker.send(startMessage({ experiment: l.job.experiment, runIndex: l.job.runIndex, backend, autoRun: true, job: { maxCost: l.job.maxCost, noBoundary: true }, wasmThreads: POOL_WASM_THREADS }));
    }
    this.report();
  }

  private openWorker(slot: Slot): RunWorkerHandle {
    const worker = openRunWorker(
      this.newWorker,
      (msg) => {
        if (slot.worker === worker) this.onMessage(slot, msg);
      },
      (report) => {
        if (slot.worker !== worker) return;
        slot.worker = null;
        this.end(slot, { status: 'error', message: report });
      },
    );
    return worker;
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    if (slot.jobId === null) return;
    if (msg.type === 'ready') {
      slot.ready = true;
      slot.backend = msg.backend;
      if (this.scheduler.paused) slot.worker?.send({ type: 'pause' });
      return;
    }
    if (!slot.ready) {
      // Only a failure to start belongs to this job before 'ready'; a 'stopped' is the previous job's teardown.
      if (msg.type === 'status' && msg.status === 'error') this.end(slot, { status: 'error', message: msg.message ?? 'the job failed to start' });
      return;
    }
    if (msg.type === 'metrics') {
      for (const p of msg.points) if (p.trainLoss !== undefined) slot.points.push(toEval(p));
    } else if (msg.type === 'restarted') {
      slot.points = [];
    } else if (msg.type === 'status' && (msg.status === 'finished' || msg.status === 'diverged' || msg.status === 'error')) {
      this.end(slot, { status: msg.status, message: msg.message ?? '' });
    }
  }

  private end(slot: Slot, how: { status: JobSummary['status']; message: string }): void {
    const id = slot.jobId;
    const job = slot.job;
    if (id === null || !job) return;
    const summary: JobSummary = { ...how, points: thin(slot.points), wallMs: performance.now() - slot.startedAt, backend: slot.backend };
    // Free the worker's run (it stays alive for the next job) before anything else is started on it.
    slot.worker?.send({ type: 'stop' });
    this.resetSlot(slot);
    this.byId.delete(id);
    if (this.scheduler.finish(id, how.status !== 'error')) this.callbacks.onResult(job.key, summary);
    this.report();
    void this.pump();
  }
}
