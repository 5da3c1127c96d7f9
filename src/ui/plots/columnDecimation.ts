/**
 * Pixel-column decimation of a plotted series (issue 29): a chart cannot show more than one x value per pixel column,
 * so each trace is cut to at most two points per column — the column's smallest and largest value, in their order —
 * whatever the length of the run. A spike or a divergence is never hidden (it is a column's extreme), the first and
 * the last point are always kept (where the curve starts, and the newest point the cards report), and a non-finite
 * value (a divergence: NaN or ±∞) is kept as a break in the line and returned in `breaks` so the plot can mark it.
 * Linear in the series' length the first time a series is seen; after that a series that only grew (the display
 * series of seriesCache.ts are append-only) is cut from the extremes of its blocks of BLOCK points, kept from call
 * to call, reading single points only in blocks that straddle a column edge or hold a non-finite value. The result
 * is the same point for point (unit-tested in columnDecimation.test.ts): with 100,000 points per run the cut took
 * most of a redraw.
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

/**
 * The grid shared by every trace of one chart: the data's x extent over `columns` pixel columns. The x of a series
 * are non-decreasing (as decimateToColumns requires), so its extent is its first and last finite x.
 */
export function columnGrid(series: { x: ArrayLike<number> }[], columns: number): ColumnGrid {
  let x0 = Infinity;
  let x1 = -Infinity;
  for (const s of series) {
    let i = 0;
    while (i < s.x.length && !Number.isFinite(s.x[i])) i++;
    let j = s.x.length - 1;
    while (j >= i && !Number.isFinite(s.x[j])) j--;
    if (i > j) continue;
    x0 = Math.min(x0, s.x[i]);
    x1 = Math.max(x1, s.x[j]);
  }
  if (!(x0 <= x1)) return { x0: 0, x1: 1, columns: Math.max(1, Math.floor(columns)) };
  if (x1 === x0) x1 = x0 + 1;
  return { x0, x1, columns: Math.max(1, Math.floor(columns)) };
}

/** Points per block of the kept block extremes. */
export const BLOCK = 16;

/** Per complete block of a series: the index of its first minimum and first maximum, and whether all its y are finite. */
interface BlockExtremes {
  xs: ArrayLike<number>;
  /** Complete blocks summarised so far. */
  count: number;
  iMin: number[];
  iMax: number[];
  finite: boolean[];
}

/** Keyed by the y array: a series seen once is registered (count 0); its blocks are summarised from its second cut on. */
const blockCache = new WeakMap<object, BlockExtremes>();

/** The block extremes of (xs, ys), extended over the blocks completed since the last call; null the first time. */
function blockExtremes(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number): BlockExtremes | null {
  const key = ys as unknown as object;
  const b = blockCache.get(key);
  if (!b || b.xs !== xs || b.count * BLOCK > n) {
    blockCache.set(key, { xs, count: 0, iMin: [], iMax: [], finite: [] });
    return null;
  }
  const complete = Math.floor(n / BLOCK);
  for (let k = b.count; k < complete; k++) {
    let lo = -1;
    let hi = -1;
    let finite = true;
    for (let i = k * BLOCK; i < (k + 1) * BLOCK; i++) {
      const y = ys[i];
      if (!Number.isFinite(y)) {
        finite = false;
        break;
      }
      if (lo < 0 || y < ys[lo]) lo = i;
      if (hi < 0 || y > ys[hi]) hi = i;
    }
    b.iMin.push(lo);
    b.iMax.push(hi);
    b.finite.push(finite);
  }
  b.count = complete;
  return b;
}

/**
 * At most two points per column (its minimum and maximum, in order), plus the first and the last point, plus each
 * non-finite point that follows a finite one. `xs` must be non-decreasing (iteration, epoch, cost and time all are).
 * `xs` and `ys` must not be changed other than by appending once given (a new series is a new array).
 */
export function decimateToColumns(xs: ArrayLike<number>, ys: ArrayLike<number>, grid: ColumnGrid): Decimated {
  const n = Math.min(xs.length, ys.length);
  const blocks = n >= 4 * BLOCK ? blockExtremes(xs, ys, n) : null;
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
    // A whole block of finite points in one column (not the first block: the first point is kept apart) counts
    // by its extremes, exactly as its points one by one would.
    if (blocks && i > 0 && i % BLOCK === 0 && i / BLOCK < blocks.count && blocks.finite[i / BLOCK]) {
      const k = i / BLOCK;
      const c = columnOf(xs[i]);
      if (c === columnOf(xs[i + BLOCK - 1])) {
        if (c !== column) {
          closeColumn();
          column = c;
        }
        const lo = blocks.iMin[k];
        const hi = blocks.iMax[k];
        if (iMin < 0 || ys[lo] < ys[iMin]) iMin = lo;
        if (iMax < 0 || ys[hi] > ys[iMax]) iMax = hi;
        inBreak = false;
        lastFinite = ys[i + BLOCK - 1];
        i += BLOCK - 1;
        continue;
      }
    }
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
