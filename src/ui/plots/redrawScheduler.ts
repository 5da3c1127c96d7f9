/**
 * One queue for every chart's redraw, so that live plots never take the page from the user (issue 15, main-thread
 * budget). A plotly redraw is one long task (axes, tick labels, legend, traces: 30–300 ms on a 2-core machine
 * while four runs train in workers), so the queue
 *  - runs at most one redraw per animation frame, so frames with a redraw stay single long frames, not piles;
 *  - keeps all redraws together within a share of the main thread: redraw time is earned at `share` ms per ms of
 *    wall time and spent by each redraw (share 0.3, nothing saved: a 100 ms redraw is followed by 233 ms free for
 *    input and frames); up to burstMs can be saved while the charts are quiet, so that the charts that change together
 *    after a pause (Run pressed: loss and accuracy get their first points) draw in consecutive frames rather than one
 *    per second;
 *  - redraws one chart at most every minIntervalMs (issue 29: at least 5 redraws a second, now that a redraw draws
 *    at most two points per pixel column) — except a chart that shows nothing yet (its first points wait for no
 *    interval: Run → first point is what a lecture hall waits for) — and charts off screen at most every
 *    offscreenIntervalMs and only when no chart on screen is due. The page sets no off-screen interval (Infinity):
 *    a chart off screen is redrawn when it comes into view, when its data settle, or before an export (flush), not
 *    while runs train (issue 29: in the ordinary layout mDLAM's seven charts below the fold took the whole share with
 *    full redraws of 40–260 ms each, every 3 s, and the loss plot in view got two redraws a second);
 *  - draws a chart's settled data (no run is training: nothing newer will come) without either interval, so that no
 *    chart, on screen or off it, is left showing an earlier state of a finished run (issue 31: a plot showed
 *    iterations 0–6 while the cards said 3000);
 *  - serves charts on screen first (a chart off screen once it has waited an off-screen interval), then the chart
 *    that has waited longest (of two that waited as long, the one drawn least recently).
 * Pure apart from the clock it is given, and unit-tested with a fake one.
 */

export interface RedrawClock {
  now(): number;
  /** Calls back before the next frame (requestAnimationFrame in the page). */
  nextFrame(callback: () => void): void;
}

export interface RedrawOptions {
  minIntervalMs: number;
  offscreenIntervalMs: number;
  /** Largest share of the main thread that redraws may take together (0 < share ≤ 1). */
  share: number;
  /**
   * Longest pause after a redraw, however long it took: a chart's first redraw, or any on a machine loaded by other
   * work, can take most of a second, and the share alone would then hold every chart for seconds (the last points of
   * a finished run not shown). Beyond this the share gives way.
   */
  maxGapMs: number;
  /** Redraw time that may be saved while no chart redraws (default 0: every redraw pays for itself). */
  burstMs?: number;
}

/** What the caller knows about a requested redraw. */
export interface RedrawRequest {
  /** The chart shows no data yet: the redraw skips minIntervalMs (the share still applies). */
  empty?: boolean;
  /** Its data will not change until something else happens (no run is training): the redraw skips both intervals. */
  settled?: boolean;
}

interface Chart {
  draw: (() => void) | null;
  /** The chart shows no data yet: its pending redraw skips minIntervalMs. */
  empty: boolean;
  /** The pending redraw draws settled data: it skips minIntervalMs and offscreenIntervalMs. */
  settled: boolean;
  visible: boolean;
  lastDrawAt: number;
  staleSince: number;
}

export class RedrawScheduler {
  private readonly charts = new Map<string, Chart>();
  /** Saved redraw time (ms; negative: owed) as of creditAt; creditAt −∞ makes it start full (burstMs). */
  private credit = 0;
  private creditAt = -Infinity;
  private lastEndAt = -Infinity;
  /** The last redraw was of a chart off screen: the next goes to a chart on screen if one is due. */
  private lastWasOffscreen = false;
  private frameRequested = false;
  /** Duration of each redraw run, newest last (for benchmarks; bounded). */
  readonly costs: { id: string; ms: number }[] = [];

  constructor(private readonly clock: RedrawClock, private readonly options: RedrawOptions) {
    if (!(options.share > 0 && options.share <= 1)) throw new Error(`redraw share must be in (0, 1], got ${options.share}`);
    if (!((options.burstMs ?? 0) >= 0)) throw new Error(`redraw burst must be ≥ 0 ms, got ${options.burstMs}`);
  }

  /** Saved redraw time at `now`: earned at `share` per ms since creditAt, at most burstMs. */
  private creditAtTime(now: number): number {
    return Math.min(this.options.burstMs ?? 0, this.credit + (now - this.creditAt) * this.options.share);
  }

  /** A redraw may start when it has earned its time, or when the longest pause allowed has passed anyway. */
  private mayDraw(now: number): boolean {
    return this.creditAtTime(now) >= 0 || now >= this.lastEndAt + this.options.maxGapMs;
  }

  /** The chart's data or layout changed: `draw` (the newest closure) will run when the queue allows (RedrawRequest). */
  request(id: string, draw: () => void, { empty = false, settled = false }: RedrawRequest = {}): void {
    const chart = this.chart(id);
    if (chart.draw === null) chart.staleSince = this.clock.now();
    chart.draw = draw;
    chart.empty = empty;
    chart.settled = settled;
    this.wake();
  }

  setVisible(id: string, visible: boolean): void {
    const chart = this.chart(id);
    chart.visible = visible;
    if (visible && chart.draw) this.wake();
  }

  forget(id: string): void {
    this.charts.delete(id);
  }

  /** Runs every pending redraw now (before an export reads the charts). */
  flush(): void {
    for (const [id, chart] of this.charts) if (chart.draw) this.run(id, chart);
  }

  pending(id: string): boolean {
    return !!this.charts.get(id)?.draw;
  }

  private chart(id: string): Chart {
    let chart = this.charts.get(id);
    if (!chart) {
      // Until its visibility is known a new chart counts as visible, so that it draws at once.
      chart = { draw: null, empty: false, settled: false, visible: true, lastDrawAt: -Infinity, staleSince: 0 };
      this.charts.set(id, chart);
    }
    return chart;
  }

  private wake(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    this.clock.nextFrame(() => {
      this.frameRequested = false;
      this.tick();
    });
  }

  /** One frame: run the chart that is due and has waited longest, if the share allows; keep ticking while any waits. */
  private tick(): void {
    const now = this.clock.now();
    let waiting = false;
    if (this.mayDraw(now)) {
      let best: [string, Chart] | null = null;
      let bestOnScreen: [string, Chart] | null = null;
      for (const entry of this.charts) {
        const chart = entry[1];
        if (!chart.draw) continue;
        const interval = chart.settled ? 0 : !chart.visible ? this.options.offscreenIntervalMs : chart.empty ? 0 : this.options.minIntervalMs;
        if (interval === Infinity || now < chart.lastDrawAt + interval) continue; // (−∞ + ∞ is NaN: never due)
        if (!best || before(chart, best[1], now, this.options.offscreenIntervalMs)) best = entry;
        if (chart.visible && (!bestOnScreen || before(chart, bestOnScreen[1], now, this.options.offscreenIntervalMs))) bestOnScreen = entry;
      }
      // Charts off screen that waited their interval go before charts on screen (else a busy screen starves them),
      // but never twice in a row while a chart on screen is due: with many panels off screen and slow redraws they
      // took every turn and the loss plot in view was not redrawn for seconds (bench/frames.mjs, 100k points).
      if (best && !best[1].visible && this.lastWasOffscreen && bestOnScreen) best = bestOnScreen;
      if (best) {
        this.lastWasOffscreen = !best[1].visible;
        this.run(best[0], best[1]);
      }
    }
    for (const chart of this.charts.values()) if (chart.draw) waiting = true;
    if (waiting) this.wake();
  }

  private run(id: string, chart: Chart): void {
    const draw = chart.draw;
    if (!draw) return;
    chart.draw = null;
    const start = this.clock.now();
    try {
      draw();
    } catch (err) {
      // One chart's failure must not stop the queue (the other charts would freeze): report it and go on.
      console.error(`chart ${id}: redraw failed`, err);
    }
    const end = this.clock.now();
    const ms = end - start;
    chart.lastDrawAt = start;
    // Spend the redraw's time from what was saved (a redraw let through by maxGapMs starts from nothing owed).
    this.credit = Math.max(0, this.creditAtTime(start)) - ms;
    this.creditAt = start;
    this.lastEndAt = end;
    this.costs.push({ id, ms });
    if (this.costs.length > 1000) this.costs.splice(0, this.costs.length - 1000);
  }
}

/**
 * Serve order: charts on screen before charts off it, unless the one off screen has waited a whole off-screen
 * interval (else a busy screen would starve it) or shows settled data; then the longest waiting; then the least
 * recently drawn.
 */
function before(a: Chart, b: Chart, now: number, offscreenMs: number): boolean {
  const urgent = (c: Chart) => c.visible || c.settled || now - c.staleSince >= offscreenMs;
  if (urgent(a) !== urgent(b)) return urgent(a);
  if (a.staleSince !== b.staleSince) return a.staleSince < b.staleSince;
  return a.lastDrawAt < b.lastDrawAt;
}

/** The page's queue, shared by every chart. */
export const redraws = new RedrawScheduler(
  { now: () => performance.now(), nextFrame: (cb) => requestAnimationFrame(() => cb()) },
  // burstMs: measured in headless Chromium on 2 cores, the first points after Run cost 230–270 ms (accuracy) and
  // 110–120 ms (loss) to draw; without saved time the loss plot waited the full maxGapMs behind the accuracy plot.
  // minIntervalMs 180 and share 0.3 (issue 29): a chart may redraw 5.5 times a second; the share still bounds what
  // all charts together take when the machine is slow (bench/frames.mjs measures both).
  { minIntervalMs: 180, offscreenIntervalMs: Infinity, share: 0.3, maxGapMs: 1000, burstMs: 500 },
);
