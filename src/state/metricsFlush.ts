/**
 * Collects "run i has new points" signals and hands them over together, at most once every `intervalMs`: with
 * several runs streaming, one store update per worker message made the main thread re-render many times a second.
 * The first signal after a flush starts the interval; signals within it join the same flush.
 */
export class MetricsFlush {
  private dirty = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly onFlush: (runIndices: ReadonlySet<number>) => void,
  ) {}

  mark(runIndex: number): void {
    this.dirty.add(runIndex);
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const touched = this.dirty;
      this.dirty = new Set();
      this.onFlush(touched);
    }, this.intervalMs);
  }

  /** Drop pending signals (the runs they name are gone). */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.dirty.clear();
  }
}
