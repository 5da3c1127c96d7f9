/**
 * The worker pool's bookkeeping, free of workers and timers so that it can be unit-tested: a queue of jobs, at
 * most `concurrency` running at once, pause (no new job is handed out and the clock of the running ones stops),
 * cancel, and progress with an estimated time left. The pool (pool.ts) does the messaging around it.
 */
export interface Progress {
  total: number;
  done: number;
  failed: number;
  running: number;
  queued: number;
  paused: boolean;
  cancelled: boolean;
  /** Active milliseconds since the first job was added (paused time excluded). */
  elapsedMs: number;
  /** Estimated active milliseconds until every job is done; null until one job has finished. */
  etaMs: number | null;
}

export interface Launch<J> {
  id: number;
  job: J;
}

export class JobScheduler<J> {
  private queue: Launch<J>[] = [];
  /** Running job id → active-clock time it started. */
  private running = new Map<number, number>();
  private durations: number[] = [];
  private nextId = 1;
  private total = 0;
  private failed = 0;
  private pausedAt: number | null = null;
  private pausedTotal = 0;
  private startedAt: number | null = null;
  private cancelledFlag = false;

  constructor(
    readonly concurrency: number,
    private readonly now: () => number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a whole number ≥ 1, got ${concurrency}`);
  }

  /** The clock that stops while paused. */
  private active(): number {
    const t = this.now();
    return t - this.pausedTotal - (this.pausedAt !== null ? t - this.pausedAt : 0);
  }

  add(jobs: J[]): number[] {
    if (this.idle) {
      // A fresh batch on an idle scheduler: progress counts from here.
      this.total = 0;
      this.failed = 0;
      this.durations = [];
      this.cancelledFlag = false;
      this.startedAt = this.active();
    }
    const ids = jobs.map((job) => {
      const id = this.nextId++;
      this.queue.push({ id, job });
      return id;
    });
    this.total += jobs.length;
    return ids;
  }

  /** Jobs to launch now; they count as running from this call. Nothing while paused. */
  take(): Launch<J>[] {
    if (this.pausedAt !== null) return [];
    const out: Launch<J>[] = [];
    while (this.running.size < this.concurrency && this.queue.length) {
      const l = this.queue.shift()!;
      this.running.set(l.id, this.active());
      out.push(l);
    }
    return out;
  }

  /** A running job ended (ok = it produced a result; false = it failed). Unknown ids (e.g. after cancel) are ignored. */
  finish(id: number, ok: boolean): boolean {
    const started = this.running.get(id);
    if (started === undefined) return false;
    this.running.delete(id);
    this.durations.push(this.active() - started);
    if (!ok) this.failed++;
    return true;
  }

  pause(): void {
    if (this.pausedAt === null) this.pausedAt = this.now();
  }

  resume(): void {
    if (this.pausedAt === null) return;
    this.pausedTotal += this.now() - this.pausedAt;
    this.pausedAt = null;
  }

  get paused(): boolean {
    return this.pausedAt !== null;
  }

  /** Drop the queue and forget the running jobs; returns the ids that were running (the pool ends their workers). */
  cancel(): number[] {
    const ids = [...this.running.keys()];
    this.total -= this.queue.length + ids.length;
    this.queue = [];
    this.running.clear();
    this.resume();
    this.cancelledFlag = true;
    return ids;
  }

  get idle(): boolean {
    return this.queue.length === 0 && this.running.size === 0;
  }

  progress(): Progress {
    const t = this.active();
    const done = this.durations.length;
    const queued = this.queue.length;
    const running = this.running.size;
    let etaMs: number | null = null;
    if (queued + running === 0) etaMs = 0;
    else if (done > 0) {
      // Work left = (queued + running) jobs of the mean duration, less what the running ones have already done,
      // shared among the slots that will be busy.
      const mean = this.durations.reduce((a, b) => a + b, 0) / done;
      let spent = 0;
      for (const s of this.running.values()) spent += Math.min(mean, t - s);
      const work = (queued + running) * mean - spent;
      etaMs = Math.max(0, work / Math.min(this.concurrency, queued + running));
    }
    return {
      total: this.total,
      done: done - this.failed,
      failed: this.failed,
      running,
      queued,
      paused: this.paused,
      cancelled: this.cancelledFlag,
      elapsedMs: this.startedAt === null ? 0 : t - this.startedAt,
      etaMs,
    };
  }
}
