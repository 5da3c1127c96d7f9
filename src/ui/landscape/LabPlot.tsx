import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import Plotly from 'plotly.js/dist/plotly-cartesian.min.js';
import type { LandscapeConfig } from '../../engine/landscape/config';
import { arrowSegments, fieldArrows, lossGrid, minEigenGrid } from '../../engine/landscape/field';
import { labFunction, type LabFunction, type Vec2 } from '../../engine/landscape/functions';
import { type Trajectory } from '../../engine/landscape/trajectories';
import { labMethod, runLabTrajectory } from '../../methods/registry';
import { runColor } from '../plots/colors';
import { plotElements } from '../plots/Plot';
import { useStore } from '../../state/store';
import { inputClock, markInput } from './inputClock';

/**
 * The 2-D lab plot: contours of the loss, optional convexity shading and arrow fields, and every run's
 * trajectory from the same start. Drawn with Plotly.react directly (not the 5 Hz Plot wrapper) because
 * dragging the start and scrubbing a slider must redraw at once; each redraw is timed from the input event
 * to the end of Plotly.react and shown ("redraw N ms").
 */
export const LAB_PLOT_ID = 'landscape-2d';
/** The combined figure (both layers, with a legend) for PNG/SVG export. */
export const labFigure: { current: { data: unknown[]; layout: Record<string, unknown> } | null } = { current: null };
const GRID = 80;
const GRID_SCRUB = 40;
const BG_DEBOUNCE_MS = 150;
const ARROWS = 15;

export function runName(i: number, method: string, noise = 0): string {
  const m = labMethod(method);
  return `${i + 1}. ${m?.label ?? method}${noise > 0 && m?.knobs.includes('noise') ? ` (noise σ ${noise})` : ''}`;
}

export function computeTrajectories(fn: LabFunction, l: LandscapeConfig): Trajectory[] {
  return l.runs.map((r, i) => runLabTrajectory(fn, l.start, r, l.iterations, i + 1));
}

export function LabPlot({ config, onTrajectories }: { config: LandscapeConfig; onTrajectories: (t: Trajectory[]) => void }) {
  const setLandscapeLive = useStore((s) => s.setLandscapeLive);
  const updateLandscape = useStore((s) => s.updateLandscape);
  const ref = useRef<HTMLDivElement>(null);
  const bgRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const bgMs = useRef(0);
  const fgMs = useRef(0);
  /** "redraw" = input → trajectories recomputed → drawn; "contours" = the background layer's last redraw (problem, κ, view). */
  const showTimes = () => {
    const el = msRef.current;
    if (!el) return;
    el.textContent = `redraw ${fgMs.current.toFixed(1)} ms${bgMs.current ? ` · contours ${bgMs.current.toFixed(0)} ms (drawn when the problem changes)` : ''}`;
    el.dataset.bgMs = bgMs.current.toFixed(2);
  };
  const msRef = useRef<HTMLSpanElement>(null);
  const dragging = useRef(false);
  const onTraj = useRef(onTrajectories);
  onTraj.current = onTrajectories;
  const { problem, condition } = config;
  const fn = useMemo(() => labFunction(problem, { condition }), [problem, condition]);
  const log = config.show.logContours;
  // Scrub mode redraws the contours as κ moves: a coarser grid keeps that layer near the frame budget.
  const grid = config.show.scrub ? GRID_SCRUB : GRID;
  const contour = useMemo(() => {
    const g = lossGrid(fn, grid, log);
    return {
      type: 'contour', x: g.xs, y: g.ys, z: g.z, ncontours: 28, colorscale: 'YlGnBu', reversescale: true, opacity: 0.85,
      line: { width: 0.5, color: 'rgba(60,60,60,0.35)' },
      colorbar: { title: { text: log ? 'log₁₀(L − L*)' : 'L', side: 'right' }, thickness: 12, len: 0.9 },
      hovertemplate: `θ = (%{x:.3f}, %{y:.3f})<br>${log ? 'log₁₀(L − L*)' : 'L'} = %{z:.4g}<extra></extra>`,
      name: 'loss',
    };
  }, [fn, log, grid]);
  const convex = useMemo(() => {
    // A constraint contour fills {λ_min < 0} (a heatmap would sit under the contour layer in plotly).
    const g = minEigenGrid(fn, grid);
    return {
      type: 'contour', x: g.xs, y: g.ys, z: g.z, contours: { type: 'constraint', operation: '>', value: 0 }, // plotly shades where the constraint fails: λ_min < 0
      fillcolor: 'rgba(213,94,0,0.25)', line: { color: 'rgba(213,94,0,0.9)', width: 1, dash: 'dot' }, hoverinfo: 'skip', name: 'non-convex (λ_min < 0)', meta: 'nonconvex', showlegend: true,
    };
  }, [fn, grid]);
  const field = config.show.field;
  const arrowTraces = useMemo(() => {
    const out: Record<string, unknown>[] = [];
    const add = (kind: 'gradient' | 'vi', color: string, name: string) => {
      const arrows = fieldArrows(fn, kind, ARROWS);
      if (!arrows.length) return;
      const seg = arrowSegments(arrows, fn, ARROWS);
      out.push({ type: 'scatter', mode: 'lines', x: seg.x, y: seg.y, line: { color, width: 1.2 }, hoverinfo: 'skip', name, meta: `field-${kind}` });
    };
    if (field === 'gradient' || field === 'both') add('gradient', 'rgba(70,70,70,0.75)', '−∇L');
    if ((field === 'vi' || field === 'both') && fn.field) add('vi', 'rgba(0,140,90,0.9)', '−F (monotone field)');
    return out;
  }, [fn, field]);

  useEffect(() => {
    const bg = bgRef.current;
    if (!bg) return;
    plotElements.set(`${LAB_PLOT_ID}-background`, bg);
    return () => {
      plotElements.delete(`${LAB_PLOT_ID}-background`);
      if (bgTimer.current !== null) clearTimeout(bgTimer.current);
      Plotly.purge(bg);
    };
  }, []);

  const title = `${fn.label}${config.show.convexity ? ' — shaded: non-convex (λ_min(∇²L) < 0)' : ''}`;
  // Both layers share this layout exactly (fixed margins, fixed ranges, no legend) so they overlay pixel for pixel.
  const baseLayout = useMemo(
    () => ({
      title: { text: title, font: { size: 14 } },
      xaxis: { range: fn.xRange, fixedrange: true, title: { text: 'θ₁' }, showgrid: false, zeroline: false },
      yaxis: { range: fn.yRange, fixedrange: true, title: { text: 'θ₂' }, showgrid: false, zeroline: false },
      dragmode: false,
      margin: { l: 55, r: 110, t: 40, b: 45 },
      height: 600,
      showlegend: false,
    }),
    [fn, title],
  );
  const bgData = useMemo(() => [contour, ...(config.show.convexity ? [convex] : []), ...arrowTraces], [contour, convex, arrowTraces, config.show.convexity]);

  // Background layer (contours, shading, arrows): redrawn only when the problem or the view changes. While a
  // slider moves the problem itself (κ), its redraw (65–220 ms measured here) is deferred until the slider rests
  // for BG_DEBOUNCE_MS, so the trajectories keep redrawing at every input in the meantime.
  const bgTimer = useRef<number | null>(null);
  useLayoutEffect(() => {
    const bg = bgRef.current;
    if (!bg) return;
    const live = inputClock.at > 0 && performance.now() - inputClock.at < 1000;
    const draw = () => {
      bgTimer.current = null;
      const t0 = performance.now();
      void Plotly.react(bg, bgData, { ...baseLayout, uirevision: 'lab', hovermode: 'closest' }, { displayModeBar: false, responsive: true }).then(() => {
        bgMs.current = performance.now() - t0;
        drawRef.current();
        showTimes();
      });
    };
    if (bgTimer.current !== null) clearTimeout(bgTimer.current);
    if (live && bg.querySelector('.main-svg')) bgTimer.current = window.setTimeout(draw, BG_DEBOUNCE_MS);
    else draw();
  }, [bgData, baseLayout]);

  // Foreground (trajectories, trial points, start, minima): recomputed on every change and drawn on a canvas over
  // the plot area — a plotly redraw of even a few scatter traces took 20–100 ms on the 2-core machine, a canvas
  // pass takes a few. The same traces go into the exported figure (labFigure) through plotly.
  const drawRef = useRef<() => void>(() => {});
  useLayoutEffect(() => {
    const t0 = inputClock.at > 0 && performance.now() - inputClock.at < 1000 ? inputClock.at : performance.now();
    inputClock.at = 0;
    const trajs = computeTrajectories(fn, config);
    const tComputed = performance.now();
    const draw = () => {
      const bg = bgRef.current, canvas = canvasRef.current, host = ref.current;
      const size = (bg as unknown as { _fullLayout?: { _size: { l: number; t: number; w: number; h: number } } } | null)?._fullLayout?._size;
      if (!bg || !canvas || !host || !size) return false;
      drawForeground(canvas, size, fn, config, trajs);
      (host as unknown as { labTrajectories: Trajectory[] }).labTrajectories = trajs;
      host.dataset.version = String((Number(host.dataset.version) || 0) + 1);
      return true;
    };
    drawRef.current = () => void draw();
    const drawn = draw();
    const ms = performance.now() - t0;
    if (drawn && msRef.current) {
      fgMs.current = ms;
      showTimes();
      msRef.current.dataset.ms = ms.toFixed(2);
      msRef.current.dataset.breakdown = [tComputed - t0, performance.now() - tComputed].map((v) => v.toFixed(1)).join('/');
      msRef.current.title = `input → trajectories recomputed (${(tComputed - t0).toFixed(1)} ms) → drawn; background contours last drawn in ${bgMs.current.toFixed(0)} ms`;
      msRef.current.className = `redraw-ms${ms > 50 ? ' slow' : ''}`;
    }
    labFigure.current = {
      data: [...bgData, ...foregroundTraces(fn, config, trajs)],
      layout: { ...baseLayout, showlegend: true, legend: { orientation: 'h', y: -0.12, yanchor: 'top' }, margin: { ...baseLayout.margin, b: 110 }, height: 700 },
    };
    onTraj.current(trajs);
  }, [fn, config, bgData, baseLayout]);

  useEffect(() => {
    const onResize = () => setTimeout(() => drawRef.current(), 50);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);

  // Dragging the start: pixel → data through the plot area's size; plotly's own zoom/pan is off (dragmode false).
  useEffect(() => {
    const el = bgRef.current;
    if (!el) return;
    const toData = (ev: PointerEvent): Vec2 | null => {
      const size = (bgRef.current as unknown as { _fullLayout?: { _size: { l: number; t: number; w: number; h: number } } } | null)?._fullLayout?._size;
      if (!size || !bgRef.current) return null;
      const rect = bgRef.current.getBoundingClientRect();
      const px = ev.clientX - rect.left - size.l, py = ev.clientY - rect.top - size.t;
      if (px < 0 || py < 0 || px > size.w || py > size.h) return null;
      const x = fn.xRange[0] + (px / size.w) * (fn.xRange[1] - fn.xRange[0]);
      const y = fn.yRange[1] - (py / size.h) * (fn.yRange[1] - fn.yRange[0]);
      return [Number(x.toFixed(4)), Number(y.toFixed(4))];
    };
    const down = (ev: PointerEvent) => {
      const p = toData(ev);
      if (!p || ev.button !== 0) return;
      dragging.current = true;
      ev.preventDefault();
      ev.stopPropagation();
      markInput();
      setLandscapeLive({ start: p });
    };
    const move = (ev: PointerEvent) => {
      if (!dragging.current) return;
      const p = toData(ev);
      if (!p) return;
      ev.preventDefault();
      markInput();
      setLandscapeLive({ start: p });
    };
    const up = () => {
      if (!dragging.current) return;
      dragging.current = false;
      updateLandscape(() => {}); // validate the final state (and keep the URL in step)
    };
    el.addEventListener('pointerdown', down, true);
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    return () => {
      el.removeEventListener('pointerdown', down, true);
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
  }, [fn]);

  const swapLabel = config.runs.map((r) => labMethod(r.method)?.swapLabel).find(Boolean);
  return (
    <div className="lab-plot-wrap">
      <div className="lab-plot-bar">
        <span>
          Click or drag on the plot to move the start point.
          {(field === 'gradient' || field === 'both') && <> Grey arrows: −∇L.</>}
          {(field === 'vi' || field === 'both') && fn.field && <> Green arrows: −F.</>}
          {config.show.convexity && <> Orange shading: non-convex.</>}
          {config.show.trials && config.runs.some((r) => labMethod(r.method)?.drawsTrials) && <> Circles: line-search trials.</>}
          {swapLabel && <> ★ {swapLabel}.</>} × minimum.
        </span>
        <span ref={msRef} className="redraw-ms" data-testid="redraw-ms">redraw — ms</span>
      </div>
      <div className="lab-stack">
        <div className="lab-plot-bg" data-plot={`${LAB_PLOT_ID}-background`} ref={bgRef} />
        <canvas className="lab-canvas" ref={canvasRef} />
        <div className="lab-plot" data-plot={LAB_PLOT_ID} ref={ref} data-testid="lab-plot" />
      </div>
    </div>
  );
}

type PlotArea = { l: number; t: number; w: number; h: number };

/** Canvas drawing of the foreground over the plot area (same data as foregroundTraces). */
function drawForeground(canvas: HTMLCanvasElement, size: PlotArea, fn: LabFunction, config: LandscapeConfig, trajs: Trajectory[]): void {
  const dpr = window.devicePixelRatio || 1;
  canvas.style.left = `${size.l}px`;
  canvas.style.top = `${size.t}px`;
  canvas.style.width = `${size.w}px`;
  canvas.style.height = `${size.h}px`;
  if (canvas.width !== Math.round(size.w * dpr) || canvas.height !== Math.round(size.h * dpr)) {
    canvas.width = Math.round(size.w * dpr);
    canvas.height = Math.round(size.h * dpr);
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.w, size.h);
  const [x0, x1] = fn.xRange, [y0, y1] = fn.yRange;
  // Clamp far-away points so a diverging run draws a line off the edge rather than overflowing the canvas.
  const px = (x: number) => Math.max(-1e4, Math.min(1e4, ((x - x0) / (x1 - x0)) * size.w));
  const py = (y: number) => Math.max(-1e4, Math.min(1e4, ((y1 - y) / (y1 - y0)) * size.h));
  trajs.forEach((t, i) => {
    const color = runColor(i);
    if (config.show.trials && t.trials.length) {
      ctx.globalAlpha = 0.45;
      ctx.strokeStyle = color;
      ctx.lineWidth = 1;
      for (const [x, y] of t.trials) {
        ctx.beginPath();
        ctx.arc(px(x), py(y), 3, 0, 2 * Math.PI);
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
    }
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 2;
    ctx.lineJoin = 'round';
    ctx.beginPath();
    t.path.forEach(([x, y], k) => (k === 0 ? ctx.moveTo(px(x), py(y)) : ctx.lineTo(px(x), py(y))));
    ctx.stroke();
    for (const [x, y] of t.path) ctx.fillRect(px(x) - 1.5, py(y) - 1.5, 3, 3);
    if (t.swapIndex >= 0) {
      const [x, y] = t.path[t.swapIndex];
      star(ctx, px(x), py(y), 9, color);
    }
  });
  ctx.lineWidth = 1.5;
  for (const [x, y] of fn.minima) {
    const cx = px(x), cy = py(y);
    ctx.strokeStyle = '#000';
    ctx.beginPath();
    ctx.moveTo(cx - 5, cy - 5); ctx.lineTo(cx + 5, cy + 5); ctx.moveTo(cx + 5, cy - 5); ctx.lineTo(cx - 5, cy + 5);
    ctx.stroke();
  }
  const sx = px(config.start[0]), sy = py(config.start[1]);
  ctx.beginPath();
  ctx.arc(sx, sy, 7, 0, 2 * Math.PI);
  ctx.fillStyle = 'rgba(255,255,255,0.9)';
  ctx.fill();
  ctx.lineWidth = 2.5;
  ctx.strokeStyle = '#000';
  ctx.stroke();
}

function star(ctx: CanvasRenderingContext2D, cx: number, cy: number, r: number, color: string): void {
  ctx.beginPath();
  for (let k = 0; k < 10; k++) {
    const rad = k % 2 === 0 ? r : r * 0.45;
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    const x = cx + rad * Math.cos(a), y = cy + rad * Math.sin(a);
    if (k === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.closePath();
  ctx.fillStyle = color;
  ctx.fill();
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 1;
  ctx.stroke();
}

/** The foreground as plotly traces (for the exported figure). */
function foregroundTraces(fn: LabFunction, config: LandscapeConfig, trajs: Trajectory[]): unknown[] {
  const data: unknown[] = [];
  trajs.forEach((t, i) => {
    const color = runColor(i);
    const r = config.runs[i];
    if (config.show.trials && t.trials.length)
      data.push({ type: 'scatter', mode: 'markers', x: t.trials.map((p) => p[0]), y: t.trials.map((p) => p[1]), marker: { color, size: 6, opacity: 0.45, symbol: 'circle-open' }, name: `${runName(i, r.method, r.noise)}: line-search trials`, showlegend: false });
    data.push({ type: 'scatter', mode: 'lines+markers', x: t.path.map((p) => p[0]), y: t.path.map((p) => p[1]), line: { color, width: 2 }, marker: { color, size: 3.5 }, name: runName(i, r.method, r.noise) });
    if (t.swapIndex >= 0) {
      const p = t.path[t.swapIndex];
      data.push({ type: 'scatter', mode: 'markers', x: [p[0]], y: [p[1]], marker: { color, size: 16, symbol: 'star', line: { color: '#000', width: 1 } }, name: 'Adam → CG swap' });
    }
  });
  data.push({ type: 'scatter', mode: 'markers', x: fn.minima.map((m) => m[0]), y: fn.minima.map((m) => m[1]), marker: { symbol: 'x', size: 10, color: '#000' }, name: 'minimum' });
  data.push({ type: 'scatter', mode: 'markers', x: [config.start[0]], y: [config.start[1]], marker: { size: 15, color: 'rgba(255,255,255,0.9)', line: { color: '#000', width: 2.5 } }, name: 'start' });
  return data;
}
