/**
 * Bounded record of flattened parameters along a run, for projecting trajectories onto a loss-landscape slice.
 * A snapshot is taken every `every` iterations; when the record is full every other snapshot is dropped and
 * `every` doubles, so a run of any length keeps between cap/2 and cap snapshots spread evenly over it.
 * Memory: at most `budgetFloats` floats (chosen default 3M = 12 MB per run), and at most 100 snapshots (each costs one synchronous read of the weights).
 */
export interface Snapshot {
  iteration: number;
  flat: Float32Array;
}

export class SnapshotRecorder {
  every = 1;
  readonly cap: number;
  readonly snaps: Snapshot[] = [];

  constructor(paramCount: number, budgetFloats = 3_000_000, maxSnaps = 100) {
    this.cap = Math.max(8, Math.min(maxSnaps, Math.floor(budgetFloats / Math.max(1, paramCount))));
  }

  /** Record at iteration 0 and at every multiple of `every`; `read` is only called when a snapshot is taken. */
  maybeRecord(iteration: number, read: () => Float32Array): boolean {
    if (iteration % this.every !== 0) return false;
    const last = this.snaps[this.snaps.length - 1];
    if (last && last.iteration === iteration) return false;
    this.snaps.push({ iteration, flat: read() });
    if (this.snaps.length >= this.cap) {
      this.every *= 2;
      const keep = this.snaps.filter((s) => s.iteration % this.every === 0);
      this.snaps.length = 0;
      this.snaps.push(...keep);
    }
    return true;
  }
}
