import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import Plotly from 'plotly.js/dist/plotly-cartesian.min.js';
import { LAB_METHOD_LABELS, type LandscapeConfig } from '../../engine/landscape/config';
import { arrowSegments, convexityGrid, fieldArrows, lossGrid } from '../../engine/landscape/field';
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
    const g = convexityGrid(fn, GRID);
    return {
      type: 'heatmap', x: g.xs, y: g.ys, z: g.z, zmin: 0, zmax: 1, showscale: false, hoverinfo: 'skip', name: 'non-convex',
      colorscale: [[0, 'rgba(0,0,0,0)'], [1, 'rgba(213,94,0,0.22)']],
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
    const el = ref.current;
    if (!el) return;
    plotElements.set(LAB_PLOT_ID, el);
    return () => {
      plotElements.delete(LAB_PLOT_ID);
      Plotly.purge(el);
    };
  }, []);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const t0 = inputClock.at > 0 && performance.now() - inputClock.at < 1000 ? inputClock.at : performance.now();
    inputClock.at = 0;
    const trajs = computeTrajectories(fn, config);
    const data: unknown[] = [contour];
    if (config.show.convexity) data.push(convex);
    data.push(...arrowTraces);
    trajs.forEach((t, i) => {
      const color = runColor(i);
      const r = config.runs[i];
      if (config.show.trials && t.trials.length)
        data.push({
          type: 'scatter', mode: 'markers', x: t.trials.map((p) => p[0]), y: t.trials.map((p) => p[1]), marker: { color, size: 5, opacity: 0.35, symbol: 'circle-open' },
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
      title: { text: `${fn.label}${config.show.convexity ? ' — shaded: non-convex (λ_min(∇²L) < 0)' : ''}`, font: { size: 14 } },
      xaxis: { range: fn.xRange, fixedrange: true, title: { text: 'θ₁' }, showgrid: false },
      yaxis: { range: fn.yRange, fixedrange: true, title: { text: 'θ₂' }, showgrid: false },
      dragmode: false,
      hovermode: dragging.current ? false : 'closest',
      margin: { l: 55, r: 20, t: 40, b: 40 },
      height: 600,
      legend: { orientation: 'h', y: -0.1, yanchor: 'top' },
      uirevision: 'lab',
      showlegend: true,
    };
    void Plotly.react(el, data, layout, { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['lasso2d', 'select2d', 'zoom2d', 'pan2d', 'autoScale2d'] }).then(() => {
      const ms = performance.now() - t0;
      if (msRef.current) {
        msRef.current.textContent = `redraw ${ms.toFixed(0)} ms`;
        msRef.current.dataset.ms = ms.toFixed(2);
        msRef.current.className = `redraw-ms${ms > 50 ? ' slow' : ''}`;
      }
    });
    onTraj.current(trajs);
  }, [fn, config, contour, convex, arrowTraces]);

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
      <div className="plot lab-plot" data-plot={LAB_PLOT_ID} ref={ref} data-testid="lab-plot" />
    </div>
  );
}
