import { useEffect, useRef, useState, type ReactNode } from 'react';
import Plotly from 'plotly.js/dist/plotly-cartesian.min.js';
import { useStore } from '../../state/store';
import { hasOnlyCoarsePointer } from '../narrow/useNarrow';
import { cleanLogAxes, plotFrame, showLonePoints } from './plotLayout';
import { redraws } from './redrawScheduler';
import { liveRanges, liveSignature, redrawLinesInPlace, type LineTrace, type LiveFit } from './liveLines';
import { Formula } from './Formula';
import { PlotDataTable } from './PlotDataTable';

/**
 * A plotly chart that fills its container (a ResizeObserver follows every change of the container's size: a
 * panel opening, presentation mode, the stage's enlarged plot, not only window resizes), redraws through the
 * page's one redraw queue (redrawScheduler.ts: one redraw per frame, all charts together within a share of the
 * main thread, charts off screen not while runs train) however often its inputs change, and scales its type and
 * lines up in presentation mode. While runs train, a redraw that only moves lines within the axes drawn is done in
 * place, without plotly's full redraw (liveLines.ts).
 * The title is HTML above the chart, so that the legend can sit above the plot area without meeting it
 * (plotly lays out a title and an outside legend independently). `build` is called lazily at draw time.
 */
export interface PlotProps {
  /** Stable id used by tests and exports (data-plot attribute). */
  id: string;
  title: string;
  /** The plotted quantity as TeX, typeset after the title. */
  formula?: string;
  /** A plain-language line under the title (what to read off the plot). */
  subtitle?: string;
  /** Builds the figure at draw time; `columns`: the plot area's width in pixels (traces need no more than two points per column). */
  build: (size: PlotSize) => { data: unknown[]; layout: Record<string, unknown> };
  /** Any value that changes when the chart must redraw. */
  revision: unknown;
  /** Chart height in the ordinary layout (px, without the title); the stage layout gives the chart its own. */
  height?: number;
  /** Controls shown at the right of the title (e.g. the accuracy plot's zoom). */
  controls?: ReactNode;
}

export interface PlotSize {
  columns: number;
}

export const plotElements = new Map<string, HTMLElement>();
/** The HTML title of every mounted plot, for exports that put it back into the figure. */
export const plotTitles = new Map<string, string>();

export function Plot({ id, title, formula, subtitle, build, revision, height = 300, controls }: PlotProps) {
  const ref = useRef<HTMLDivElement>(null);
  const drawn = useRef(false);
  /** The margins plotly's automargin settled on at the last redraw, and for which frame (size, type, traces). */
  const settledMargins = useRef<{ frame: string; margin: Record<string, number> } | null>(null);
  /**
   * While runs train: the figure plotly drew last, without its points (liveSignature), and the axis ranges it was
   * given, so that a redraw that only moves lines within them is done in place (liveLines.ts). Null: draw with plotly.
   */
  const live = useRef<{ signature: string; fit: LiveFit } | null>(null);
  /** The user zoomed or panned an axis (plotly keeps it through redraws, uirevision): no live ranges then. */
  const userAxes = useRef(false);
  /** The axis ranges given to the last plotly redraw (given again while the user's zoom stands: see below). */
  const givenRanges = useRef<Record<string, [number, number]>>({});
  const buildRef = useRef(build);
  buildRef.current = build;
  const presentation = useStore((s) => s.presentation);
  // No run training: the data drawn next is the final state, which the queue draws without its intervals.
  const settled = useStore((s) => !s.runs.some((r) => r.status === 'running' || r.status === 'starting'));
  const setPlotInfo = useStore((s) => s.setPlotInfo);
  // On a touch screen a plotly chart takes every touch for zooming, so a student's thumb on a curve cannot scroll
  // the page. There the chart starts static (touches scroll the page) and "Zoom" makes it interactive until pressed again.
  const [touch] = useState(hasOnlyCoarsePointer);
  const [touchZoom, setTouchZoom] = useState(false);
  // The text alternative (PlotDataTable): the latest value of each series, behind a toggle.
  const [tableOpen, setTableOpen] = useState(false);
  const staticPlot = touch && !touchZoom;
  plotTitles.set(id, title);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    plotElements.set(id, el);
    // The chart takes its container's size. Plotly's own `responsive` follows window resizes only; a panel that
    // changes width (presentation mode, the sidebar, an enlarged stage plot) left the chart at its old size.
    let pending = 0;
    let last = { w: 0, h: 0 };
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => {
        const w = el.clientWidth;
        const h = el.clientHeight;
        if (!drawn.current || w === 0 || h === 0 || (w === last.w && h === last.h)) return;
        last = { w, h };
        void Plotly.relayout(el, { width: w, height: h });
      });
    });
    observer.observe(el);
    // Charts scrolled out of view are not redrawn while runs train (redrawScheduler.ts) and are at once when they return.
    const visibility = new IntersectionObserver((entries) => {
      for (const entry of entries) redraws.setVisible(id, entry.isIntersecting);
    });
    visibility.observe(el);
    return () => {
      observer.disconnect();
      visibility.disconnect();
      redraws.forget(id);
      cancelAnimationFrame(pending);
      plotElements.delete(id);
      plotTitles.delete(id);
      drawn.current = false;
      live.current = null;
      userAxes.current = false;
      givenRanges.current = {};
      Plotly.purge(el);
    };
  }, [id]);

  useEffect(() => {
    // A chart that shows no points yet draws its first ones without waiting for the queue's per-chart interval.
    const shown = (ref.current as unknown as { data?: { x?: ArrayLike<unknown>; y?: ArrayLike<unknown>; z?: ArrayLike<unknown> }[] } | null)?.data ?? [];
    const empty = !shown.some((t) => (t.x?.length ?? 0) + (t.y?.length ?? 0) + (t.z?.length ?? 0) > 0);
    const draw = (retry = false) => {
      const el = ref.current;
      if (!el) return;
      const width = el.clientWidth || 600;
      // The plot area's width where the chart has settled its margins (its pixel columns), else the chart's.
      const margins = settledMargins.current?.margin;
      const columns = margins && width - margins.l - margins.r > 50 ? width - margins.l - margins.r : width;
      const { data: traces, layout } = buildRef.current({ columns });
      const data = showLonePoints(traces);
      const frameLayout = plotFrame({ width, height: el.clientHeight || height, big: presentation });
      const big = presentation;
      const merged: Record<string, unknown> = { ...frameLayout, uirevision: id, ...layout, ...mergeAxes(frameLayout, layout) };
      Object.assign(merged, cleanLogAxes(data, merged));
      // Start from the margins automargin settled on last time (same size, type and traces): from the frame's small
      // ones, every redraw pushed them out again and plotly drew the whole chart a second time (40 % of a redraw,
      // profiled with MNIST runs training). Margins so only grow while a chart lives; a new frame starts afresh.
      const hasPoints = (data as { x?: ArrayLike<unknown> }[]).some((t) => (t.x?.length ?? 0) > 0);
      const frame = `${width}x${el.clientHeight}:${big}:${data.length}:${hasPoints}`;
      if (settledMargins.current?.frame === frame) merged.margin = { ...(merged.margin as object), ...settledMargins.current.margin };
      const plotted = (big ? data.map((t) => ({ ...(t as object), line: { ...((t as { line?: object }).line ?? {}), width: 4 } })) : data) as LineTrace[];
      // While runs train (and the user has not zoomed), the linear axes keep room ahead of the data, and a redraw
      // whose lines fit the axes drawn and that changes nothing else redraws only the lines (liveLines.ts). The
      // last redraw, with the runs' settled data, is plotly's, with the axes fitted to the data.
      let signature: string | null = null;
      let ranges: Record<string, [number, number]> = {};
      let fit: LiveFit | null = null;
      if (userAxes.current) {
        // Plotly keeps the user's zoom only while the app gives the axis what it gave before the zoom.
        ranges = givenRanges.current;
      } else if (!settled) {
        fit = liveRanges(plotted, merged, live.current?.fit ?? null, performance.now());
        ranges = fit.ranges;
      }
      Object.assign(merged, rangesOf(merged, ranges));
      if (fit) signature = liveSignature(plotted, merged);
      if (signature !== null && signature === live.current?.signature && redrawLinesInPlace(el, plotted)) return;
      live.current = null;
      void Plotly.react(
        el,
        plotted,
        merged,
        { displaylogo: false, staticPlot, modeBarButtonsToRemove: ['lasso2d', 'select2d'] },
      ).then(
        () => {
          if (!drawn.current) watchUserAxes(el, userAxes);
          drawn.current = true;
          givenRanges.current = ranges;
          if (signature !== null && fit) live.current = { signature, fit };
          const size = (el as unknown as { _fullLayout?: { _size?: Record<string, number> } })._fullLayout?._size;
          if (size) settledMargins.current = { frame, margin: { l: size.l, r: size.r, t: size.t, b: size.b } };
        },
        // A redraw that failed inside plotly's promise chain would leave the chart at its previous state for good:
        // try once more unless a newer redraw waits (not again and again: the same error would take the queue's share).
        (err: unknown) => {
          console.error(`chart ${id}: redraw failed`, err);
          if (!retry && !redraws.pending(id)) redraws.request(id, () => draw(true), { settled });
        },
      );
    };
    redraws.request(id, () => draw(), { empty, settled });
  }, [revision, presentation, height, id, staticPlot, settled]);

  // (i): the plot's paragraph from the method pages (src/methods/<name>/<name>.md, "{{plot:<id>}}"), in the lazy about view.
  return (
    <div className="plot-wrap" data-plot-wrap={id}>
      <div className="plot-head">
        <button className="plot-info" onClick={() => setPlotInfo(id)} aria-label={`About the plot: ${title}`} title="What this plot shows" data-testid={`plot-info-${id}`}>i</button>
        <div className="plot-heading">
          <span className="plot-title" data-plot-title={id}>{title}</span>
          {formula && <Formula tex={formula} />}
          {subtitle && <span className="plot-subtitle">{subtitle}</span>}
        </div>
        {controls}
        <button className="plot-data-toggle" aria-expanded={tableOpen} aria-controls={`plot-data-${id}`} onClick={() => setTableOpen(!tableOpen)}
          title="The latest value of each series, as a table" data-testid={`plot-data-toggle-${id}`}>
          {tableOpen ? 'hide data' : 'data'}
        </button>
        {/* In the heading's row, after the plot's own controls (laid over the corner it hid them on a phone). */}
        {touch && (
          <button className="plot-zoom" aria-pressed={touchZoom} onClick={() => setTouchZoom(!touchZoom)} data-testid={`plot-zoom-${id}`}>
            {touchZoom ? 'Done' : 'Zoom'}
          </button>
        )}
      </div>
      <div className="plot" data-plot={id} ref={ref} role="figure" aria-label={`${title}${subtitle ? ` (${subtitle})` : ''}; its latest values are in the table behind the "data" button`}
        style={{ '--plot-h': `${Math.round(presentation ? height * 1.4 : height)}px` } as React.CSSProperties} />
      {tableOpen && <PlotDataTable id={id} title={title} figure={build({ columns: 200 })} />}
    </div>
  );
}

/** The layout's axes with the given ranges. */
function rangesOf(layout: Record<string, unknown>, ranges: Record<string, [number, number]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, range] of Object.entries(ranges)) out[key] = { ...(layout[key] as object), range };
  return out;
}

/**
 * Notes in `zoomed` whether the user has set an axis range on the chart (zoom, pan; a double-click's autoscale
 * clears it). Plotly reports both as relayout events, as it does the chart's own size changes (ignored here).
 */
function watchUserAxes(el: HTMLElement, zoomed: { current: boolean }): void {
  const chart = el as unknown as { on?: (event: string, handler: (change: Record<string, unknown>) => void) => void };
  chart.on?.('plotly_relayout', (change) => {
    const keys = Object.keys(change).filter((k) => /^[xy]axis\d*\.(range|autorange)/.test(k));
    if (keys.length) zoomed.current = !keys.every((k) => k.endsWith('autorange') && change[k] === true);
  });
}

/** The plot's own axis settings win, but keep the frame's automargin/title font unless the plot sets them. */
function mergeAxes(frame: Record<string, unknown>, layout: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(layout)) {
    if (!/^[xy]axis\d*$/.test(key)) continue;
    const base = (frame[key.replace(/\d+$/, '')] ?? {}) as Record<string, unknown>;
    const axis = (layout[key] ?? {}) as Record<string, unknown>;
    out[key] = { ...base, ...axis, title: { ...(base.title as object), ...(axis.title as object) } };
  }
  return out;
}

/** A plot's figure with its HTML title put back in, for image exports (Plotly.toImage of a figure). */
export function figureWithTitle(id: string): { data: unknown[]; layout: Record<string, unknown> } | null {
  redraws.flush(); // an export shows the newest points, not the last redraw the queue allowed
  const el = plotElements.get(id) as (HTMLElement & { data?: unknown[]; layout?: Record<string, unknown> }) | undefined;
  if (!el?.data || !el.layout) return null;
  const margin = (el.layout.margin ?? {}) as Record<string, number>;
  // The drawn top margin (the legend above the plot area pushes it) plus a line for the title.
  const top = (el as unknown as { _fullLayout?: { _size?: { t?: number } } })._fullLayout?._size?.t ?? margin.t ?? 20;
  return {
    data: el.data,
    layout: { ...el.layout, title: { text: plotTitles.get(id) ?? '', x: 0.02, xanchor: 'left', y: 0.99, yanchor: 'top', yref: 'container' }, margin: { ...margin, t: top + 36 } },
  };
}
