import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import Plotly from 'plotly.js/dist/plotly-cartesian.min.js';
import { LAB_METHOD_LABELS, type LandscapeConfig } from '../../engine/landscape/config';
import { arrowSegments, fieldArrows, lossGrid, minEigenGrid } from '../../engine/landscape/field';
import { labFunction, type LabFunction, type Vec2 } from '../../engine/landscape/functions';
import { runTrajectory, type Trajectory } from '../../engine/landscape/trajectories';
import { runColor } from '../plots/colors';
import { plotElements } from '../plots/Plot';
import { inputClock, markInput, setLandscapeLive, updateLandscape } from './labState';

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
const ARROWS = 15;

export function runName(i: number, method: keyof typeof LAB_METHOD_LABELS): string {
  return `${i + 1}. ${LAB_METHOD_LABELS[method]}`;
}

export function computeTrajectories(fn: LabFunction, l: LandscapeConfig): Trajectory[] {
  return l.runs.map((r) => runTrajectory(fn, l.start, r, l.iterations));
}

export function LabPlot({ config, onTrajectories }: { config: LandscapeConfig; onTrajectories: (t: Trajectory[]) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const bgRef = useRef<HTMLDivElement>(null);
  const bgMs = useRef(0);
  const msRef = useRef<HTMLSpanElement>(null);
  const dragging = useRef(false);
  const onTraj = useRef(onTrajectories);
  onTraj.current = onTrajectories;
  const { problem, condition } = config;
  const fn = useMemo(() => labFunction(problem, { condition }), [problem, condition]);
  const log = config.show.logContours;
  const contour = useMemo(() => {
    const g = lossGrid(fn, GRID, log);
    return {
      type: 'contour', x: g.xs, y: g.ys, z: g.z, ncontours: 28, colorscale: 'YlGnBu', reversescale: true, opacity: 0.85,
      line: { width: 0.5, color: 'rgba(60,60,60,0.35)' },
      colorbar: { title: { text: log ? 'log₁₀(L − L*)' : 'L', side: 'right' }, thickness: 12, len: 0.9 },
      hovertemplate: `θ = (%{x:.3f}, %{y:.3f})<br>${log ? 'log₁₀(L − L*)' : 'L'} = %{z:.4g}<extra></extra>`,
      name: 'loss',
    };
  }, [fn, log]);
  const convex = useMemo(() => {
    // A constraint contour fills {λ_min < 0} (a heatmap would sit under the contour layer in plotly).
    const g = minEigenGrid(fn, GRID);
    return {
      type: 'contour', x: g.xs, y: g.ys, z: g.z, contours: { type: 'constraint', operation: '<', value: 0 },
      fillcolor: 'rgba(213,94,0,0.25)', line: { color: 'rgba(213,94,0,0.9)', width: 1, dash: 'dot' }, hoverinfo: 'skip', name: 'non-convex (λ_min < 0)', meta: 'nonconvex', showlegend: true,
    };
  }, [fn]);
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
    const el = ref.current, bg = bgRef.current;
    if (!el || !bg) return;
    plotElements.set(LAB_PLOT_ID, el);
    return () => {
      plotElements.delete(LAB_PLOT_ID);
      Plotly.purge(el);
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

  // Background layer (contours, shading, arrows): redrawn only when the problem or the view changes.
  useLayoutEffect(() => {
    const bg = bgRef.current;
    if (!bg) return;
    const t0 = performance.now();
    void Plotly.react(bg, bgData, { ...baseLayout, uirevision: 'lab' }, { displayModeBar: false, staticPlot: true, responsive: true }).then(() => {
      bgMs.current = performance.now() - t0;
    });
  }, [bgData, baseLayout]);

  // Foreground layer (trajectories, start, minima): recomputed and redrawn on every change, and timed.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const t0 = inputClock.at > 0 && performance.now() - inputClock.at < 1000 ? inputClock.at : performance.now();
    inputClock.at = 0;
    const tEffect = performance.now();
    const trajs = computeTrajectories(fn, config);
    const tComputed = performance.now();
    const data: unknown[] = [];
    trajs.forEach((t, i) => {
      const color = runColor(i);
      const r = config.runs[i];
      if (config.show.trials && t.trials.length)
        data.push({
          type: 'scatter', mode: 'markers', x: t.trials.map((p) => p[0]), y: t.trials.map((p) => p[1]), marker: { color, size: 5, opacity: 0.4, symbol: 'circle-open' },
          name: `${runName(i, r.method)}: line-search trials`, showlegend: false, meta: `trials-${i}`, hovertemplate: 'trial point<extra></extra>',
        });
      data.push({
        type: 'scatter', mode: 'lines+markers', x: t.path.map((p) => p[0]), y: t.path.map((p) => p[1]), line: { color, width: 2 }, marker: { color, size: 3.5 },
        name: runName(i, r.method), meta: `run-${i}`, customdata: t.loss, hovertemplate: `${runName(i, r.method)}<br>step %{pointNumber}<br>L = %{customdata:.4g}<extra></extra>`,
      });
      if (t.swapIndex >= 0) {
        const p = t.path[t.swapIndex];
        data.push({ type: 'scatter', mode: 'markers', x: [p[0]], y: [p[1]], marker: { color, size: 16, symbol: 'star', line: { color: '#000', width: 1 } }, name: 'Adam → CG swap', showlegend: false, meta: `swap-${i}` });
      }
    });
    data.push({ type: 'scatter', mode: 'markers', x: fn.minima.map((m) => m[0]), y: fn.minima.map((m) => m[1]), marker: { symbol: 'x', size: 10, color: '#fff', line: { color: '#000', width: 1 } }, name: 'minimum', hoverinfo: 'skip', meta: 'minima' });
    data.push({ type: 'scatter', mode: 'markers', x: [config.start[0]], y: [config.start[1]], marker: { size: 15, color: 'rgba(255,255,255,0.9)', line: { color: '#000', width: 2.5 } }, name: 'start (drag)', meta: 'start', hovertemplate: 'start (%{x:.3f}, %{y:.3f})<extra></extra>' });
    const layout = {
      ...baseLayout,
      title: { text: '' },
      xaxis: { ...baseLayout.xaxis, visible: false },
      yaxis: { ...baseLayout.yaxis, visible: false },
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: 'rgba(0,0,0,0)',
      hovermode: dragging.current ? false : 'closest',
      uirevision: 'lab',
    };
    labFigure.current = { data: [...bgData, ...data], layout: { ...baseLayout, showlegend: true, legend: { orientation: 'h', y: -0.12, yanchor: 'top' }, margin: { ...baseLayout.margin, b: 110 }, height: 700 } };
    void Plotly.react(el, data, layout, { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['lasso2d', 'select2d', 'zoom2d', 'pan2d', 'autoScale2d', 'zoomIn2d', 'zoomOut2d', 'resetScale2d', 'toImage'] }).then(() => {
      const ms = performance.now() - t0;
      if (msRef.current) {
        msRef.current.textContent = `redraw ${ms.toFixed(0)} ms`;
        msRef.current.dataset.ms = ms.toFixed(2);
        // Breakdown: input → React render → trajectories computed → plotly drawn.
        msRef.current.dataset.breakdown = [tEffect - t0, tComputed - tEffect, performance.now() - tComputed].map((v) => v.toFixed(1)).join('/');
        msRef.current.title = `input → trajectories recomputed → drawn; background layer last drawn in ${bgMs.current.toFixed(0)} ms`;
        msRef.current.className = `redraw-ms${ms > 50 ? ' slow' : ''}`;
      }
    });
    onTraj.current(trajs);
  }, [fn, config, bgData, baseLayout]);

  // Dragging the start: pixel → data through the plot area's size; plotly's own zoom/pan is off (dragmode false).
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const toData = (ev: PointerEvent): Vec2 | null => {
      const size = (el as unknown as { _fullLayout?: { _size: { l: number; t: number; w: number; h: number } } })._fullLayout?._size;
      if (!size) return null;
      const rect = el.getBoundingClientRect();
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

  return (
    <div className="lab-plot-wrap">
      <div className="lab-plot-bar">
        <span>Click or drag on the plot to move the start point.</span>
        <span ref={msRef} className="redraw-ms" data-testid="redraw-ms">redraw — ms</span>
      </div>
      <div className="lab-stack">
        <div className="lab-plot-bg" data-plot={`${LAB_PLOT_ID}-background`} ref={bgRef} />
        <div className="lab-plot" data-plot={LAB_PLOT_ID} ref={ref} data-testid="lab-plot" />
      </div>
    </div>
  );
}
