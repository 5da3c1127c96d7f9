/**
 * Pixel-column decimation of a plotted series (issue 29): a chart cannot show more than one x value per pixel column,
 * so each trace is cut to at most two points per column — the column's smallest and largest value, in their order —
 * whatever the length of the run. A spike or a divergence is never hidden (it is a column's extreme), the first and
 * the last point are always kept (where the curve starts, and the newest point the cards report), and a non-finite
 * value (a divergence: NaN or ±∞) is kept as a break in the line and returned in `breaks` so the plot can mark it.
 * Pure and linear in the series' length; unit-tested in columnDecimation.test.ts.
 */

export interface ColumnGrid {
  /** x at the left edge of the first column. */
  x0: number;
  /** x at the right edge of the last column (x1 > x0; a single x is widened by the caller or by columnGrid). */
  x1: number;
  /** Number of pixel columns (≥ 1). */
  columns: number;
}

export interface Decimated {
  x: number[];
  y: number[];
  /** Where the series stops being finite: x of the non-finite point, y of the last finite point before it (if any). */
  breaks: { x: number; y: number | null }[];
}

/** The grid shared by every trace of one chart: the data's x extent over `columns` pixel columns. */
export function columnGrid(series: { x: ArrayLike<number> }[], columns: number): ColumnGrid {
  let x0 = Infinity;
  let x1 = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.x.length; i++) {
      const v = s.x[i];
      if (!Number.isFinite(v)) continue;
      if (v < x0) x0 = v;
      if (v > x1) x1 = v;
    }
  }
  if (!(x0 <= x1)) return { x0: 0, x1: 1, columns: Math.max(1, Math.floor(columns)) };
  if (x1 === x0) x1 = x0 + 1;
  return { x0, x1, columns: Math.max(1, Math.floor(columns)) };
}

/**
 * At most two points per column (its minimum and maximum, in order), plus the first and the last point, plus each
 * non-finite point that follows a finite one. `xs` must be non-decreasing (iteration, epoch, cost and time all are).
 */
export function decimateToColumns(xs: ArrayLike<number>, ys: ArrayLike<number>, grid: ColumnGrid): Decimated {
  const n = Math.min(xs.length, ys.length);
  const outX: number[] = [];
  const outY: number[] = [];
  const breaks: Decimated['breaks'] = [];
  if (n === 0) return { x: outX, y: outY, breaks };
  const scale = grid.columns / (grid.x1 - grid.x0);
  const columnOf = (x: number) => Math.min(grid.columns - 1, Math.max(0, Math.floor((x - grid.x0) * scale)));
  const push = (i: number) => {
    outX.push(xs[i]);
    outY.push(ys[i]);
  };

  // The open column: index range of its finite points' minimum and maximum.
  let column = -1;
  let iMin = -1;
  let iMax = -1;
  let lastWritten = -1;
  const closeColumn = () => {
    if (iMin < 0) return;
    const a = Math.min(iMin, iMax);
    const b = Math.max(iMin, iMax);
    if (a > lastWritten) push(a);
    if (b !== a && b > lastWritten) push(b);
    lastWritten = Math.max(lastWritten, b);
    iMin = -1;
    iMax = -1;
  };

  let lastFinite: number | null = null;
  let inBreak = false;
  for (let i = 0; i < n; i++) {
    const y = ys[i];
    const c = columnOf(xs[i]);
    if (c !== column) {
      closeColumn();
      column = c;
    }
    if (!Number.isFinite(y)) {
      // A divergence: the column's extremes so far go out first (order kept), then the break itself.
      if (!inBreak) {
        closeColumn();
        push(i);
        lastWritten = i;
        breaks.push({ x: xs[i], y: lastFinite });
        inBreak = true;
      }
      continue;
    }
    inBreak = false;
    lastFinite = y;
    if (i === 0) {
      // The first point always: it opens the curve even when it is neither extreme of its column.
      push(0);
      lastWritten = 0;
    }
    if (iMin < 0 || y < ys[iMin]) iMin = i;
    if (iMax < 0 || y > ys[iMax]) iMax = i;
  }
  closeColumn();
  // The last point always (the newest point: what the run's card reports).
  if (lastWritten < n - 1) push(n - 1);
  return { x: outX, y: outY, breaks };
}
