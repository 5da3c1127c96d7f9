/**
 * One queue for every chart's redraw, so that live plots never take the page from the user (issue 15, main-thread
 * budget). A plotly redraw is one long task (axes, tick labels, legend, traces: 30–300 ms on a 2-core machine
 * while four runs train in workers), so the queue
 *  - runs at most one redraw per animation frame, so frames with a redraw stay single long frames, not piles;
 *  - keeps all redraws together within a share of the main thread: after a redraw of c ms the next may start
 *    c·(1 − share)/share ms later (share 0.3: a 100 ms redraw is followed by 233 ms free for input and frames);
 *  - redraws one chart at most every minIntervalMs (live curves look smooth at 3 Hz), charts off screen at most
 *    every offscreenIntervalMs and only when no chart on screen is due (they stay current for exports and for
 *    tests reading them, at little cost);
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
}

interface Chart {
  draw: (() => void) | null;
  visible: boolean;
  lastDrawAt: number;
  staleSince: number;
}

export class RedrawScheduler {
  private readonly charts = new Map<string, Chart>();
  private nextAllowedAt = -Infinity;
  private frameRequested = false;
  /** Duration of each redraw run, newest last (for benchmarks; bounded). */
  readonly costs: { id: string; ms: number }[] = [];

  constructor(private readonly clock: RedrawClock, private readonly options: RedrawOptions) {
    if (!(options.share > 0 && options.share <= 1)) throw new Error(`redraw share must be in (0, 1], got ${options.share}`);
  }

  /** The chart's data or layout changed: `draw` (the newest closure) will run when the queue allows. */
  request(id: string, draw: () => void): void {
    const chart = this.chart(id);
    if (chart.draw === null) chart.staleSince = this.clock.now();
    chart.draw = draw;
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
      chart = { draw: null, visible: true, lastDrawAt: -Infinity, staleSince: 0 };
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
    if (now >= this.nextAllowedAt) {
      let best: [string, Chart] | null = null;
      for (const entry of this.charts) {
        const chart = entry[1];
        if (!chart.draw) continue;
        const interval = chart.visible ? this.options.minIntervalMs : this.options.offscreenIntervalMs;
        if (now < chart.lastDrawAt + interval) continue;
        if (!best || before(chart, best[1], now, this.options.offscreenIntervalMs)) best = entry;
      }
      if (best) this.run(best[0], best[1]);
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
    this.nextAllowedAt = end + Math.min(this.options.maxGapMs, (ms * (1 - this.options.share)) / this.options.share);
    this.costs.push({ id, ms });
    if (this.costs.length > 1000) this.costs.splice(0, this.costs.length - 1000);
  }
}

/**
 * Serve order: charts on screen before charts off it, unless the one off screen has waited a whole off-screen
 * interval (else a busy screen would starve it); then the longest waiting; then the least recently drawn.
 */
function before(a: Chart, b: Chart, now: number, offscreenMs: number): boolean {
  const urgent = (c: Chart) => c.visible || now - c.staleSince >= offscreenMs;
  if (urgent(a) !== urgent(b)) return urgent(a);
  if (a.staleSince !== b.staleSince) return a.staleSince < b.staleSince;
  return a.lastDrawAt < b.lastDrawAt;
}

/** The page's queue, shared by every chart. */
export const redraws = new RedrawScheduler(
  { now: () => performance.now(), nextFrame: (cb) => requestAnimationFrame(() => cb()) },
  { minIntervalMs: 333, offscreenIntervalMs: 3000, share: 0.15, maxGapMs: 1000 },
);
