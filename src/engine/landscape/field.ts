import { minEigen, type LabFunction, type Vec2 } from './functions';

/** Grids over a lab problem's plot window: loss (for contours), convexity (sign of λ_min(∇²L)) and arrow fields. */
export interface LabGrid {
  xs: number[];
  ys: number[];
  /** z[row][col] = value at (xs[col], ys[row]) — plotly's contour/heatmap layout. */
  z: number[][];
}

export function linspace(a: number, b: number, n: number): number[] {
  if (n === 1) return [(a + b) / 2];
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

export function gridOf(fn: LabFunction, n: number, value: (x: number, y: number) => number): LabGrid {
  const xs = linspace(fn.xRange[0], fn.xRange[1], n);
  const ys = linspace(fn.yRange[0], fn.yRange[1], n);
  return { xs, ys, z: ys.map((y) => xs.map((x) => value(x, y))) };
}

/** Contoured quantity: L, or log10(L − L* + 1e-3·scale) so that several decades show. */
export function lossGrid(fn: LabFunction, n: number, log: boolean): LabGrid {
  if (!log) return gridOf(fn, n, (x, y) => fn.f(x, y));
  return gridOf(fn, n, (x, y) => Math.log10(Math.max(fn.f(x, y) - fn.fMin, 0) + 1e-4));
}

/** 1 where the Hessian's smallest eigenvalue is negative (non-convex), 0 where it is ≥ 0. */
export function convexityGrid(fn: LabFunction, n: number): LabGrid {
  return gridOf(fn, n, (x, y) => (minEigen(fn.hess(x, y)) < 0 ? 1 : 0));
}

/** λ_min(∇²L) on the grid: negative where the loss is not convex. */
export function minEigenGrid(fn: LabFunction, n: number): LabGrid {
  return gridOf(fn, n, (x, y) => minEigen(fn.hess(x, y)));
}

export interface Arrow {
  x: number;
  y: number;
  /** The field's value at (x, y), negated: −∇L or −F (exact, not rescaled). */
  u: number;
  v: number;
}

/** Arrows of −∇L ('gradient') or −F ('vi') at an n × n lattice inset half a cell from the window's edges. */
export function fieldArrows(fn: LabFunction, kind: 'gradient' | 'vi', n: number): Arrow[] {
  const f = kind === 'vi' ? fn.field : fn.grad;
  if (!f) return [];
  const dx = (fn.xRange[1] - fn.xRange[0]) / n;
  const dy = (fn.yRange[1] - fn.yRange[0]) / n;
  const out: Arrow[] = [];
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      const x = fn.xRange[0] + (c + 0.5) * dx;
      const y = fn.yRange[0] + (r + 0.5) * dy;
      const [gx, gy] = f(x, y);
      out.push({ x, y, u: -gx, v: -gy });
    }
  return out;
}

/**
 * Line segments (with NaN separators, one plotly trace) drawing the arrows. Direction is exact; the drawn
 * length is a cell fraction growing with log‖field‖ (chosen: the raw magnitudes span many decades), so the
 * picture shows direction everywhere and relative strength roughly.
 */
export function arrowSegments(arrows: Arrow[], fn: LabFunction, n: number): { x: number[]; y: number[] } {
  const cw = (fn.xRange[1] - fn.xRange[0]) / n;
  const ch = (fn.yRange[1] - fn.yRange[0]) / n;
  const logs = arrows.map((a) => Math.log10(Math.hypot(a.u, a.v) + 1e-300));
  const finite = logs.filter((l) => Number.isFinite(l) && l > -300);
  const lo = Math.min(...finite), hi = Math.max(...finite);
  const x: number[] = [], y: number[] = [];
  arrows.forEach((a, i) => {
    const m = Math.hypot(a.u, a.v);
    if (!(m > 0) || !Number.isFinite(m)) return;
    const rel = hi > lo ? (logs[i] - lo) / (hi - lo) : 1;
    const len = 0.35 + 0.5 * rel; // in cells
    // Direction in screen-normalised units (cells), so arrows look right whatever the axis scales.
    const ux = a.u / cw, uy = a.v / ch;
    const un = Math.hypot(ux, uy);
    const ex = ((ux / un) * len * cw), ey = ((uy / un) * len * ch);
    const tx = a.x + ex, ty = a.y + ey;
    x.push(a.x, tx, NaN);
    y.push(a.y, ty, NaN);
    // Head: two short strokes at ±25° back from the tip.
    for (const s of [1, -1]) {
      const ang = Math.atan2(ey / ch, ex / cw) + Math.PI + s * 0.45;
      x.push(tx, tx + 0.3 * len * cw * Math.cos(ang), NaN);
      y.push(ty, ty + 0.3 * len * ch * Math.sin(ang), NaN);
    }
  });
  return { x, y };
}

export function isPoint(p: unknown): p is Vec2 {
  return Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number' && Number.isFinite(v));
}
