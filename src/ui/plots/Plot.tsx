import { useEffect, useRef, useState } from 'react';
import Plotly from 'plotly.js/dist/plotly-cartesian.min.js';
import { useStore } from '../../state/store';
import { hasOnlyCoarsePointer } from '../narrow/useNarrow';

/**
 * A plotly chart that redraws at most every MIN_REDRAW_MS, however often its inputs change, and
 * scales its type and lines up in presentation mode. `build` is called lazily at draw time.
 */
export interface PlotProps {
  /** Stable id used by tests and exports (data-plot attribute). */
  id: string;
  title: string;
  build: () => { data: unknown[]; layout: Record<string, unknown> };
  /** Any value that changes when the chart must redraw. */
  revision: unknown;
  height?: number;
}

const MIN_REDRAW_MS = 333;

/** Break a long title into lines at word boundaries (plotly titles do not wrap by themselves). */
export function wrapTitle(title: string, width: number): { text: string; lines: number } {
  const words = title.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return { text: lines.join('<br>'), lines: lines.length };
}

export const plotElements = new Map<string, HTMLElement>();

export function Plot({ id, title, build, revision, height = 300 }: PlotProps) {
  const ref = useRef<HTMLDivElement>(null);
  const frame = useRef<number | null>(null);
  const lastDraw = useRef(0);
  const buildRef = useRef(build);
  buildRef.current = build;
  // The pending redraw reads the latest title too (a title change while a redraw is pending was lost).
  const titleRef = useRef(title);
  titleRef.current = title;
  const presentation = useStore((s) => s.presentation);
  const setPlotInfo = useStore((s) => s.setPlotInfo);
  // On a touch screen a plotly chart takes every touch for zooming, so a student's thumb on a curve cannot scroll
  // the page. There the chart starts static (touches scroll the page) and "Zoom" makes it interactive until pressed again.
  const [touch] = useState(hasOnlyCoarsePointer);
  const [touchZoom, setTouchZoom] = useState(false);
  const staticPlot = touch && !touchZoom;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    plotElements.set(id, el);
    return () => {
      plotElements.delete(id);
      if (frame.current !== null) clearTimeout(frame.current);
      Plotly.purge(el);
    };
  }, [id]);

  useEffect(() => {
    if (frame.current !== null) return;
    // At most one redraw per MIN_REDRAW_MS: live curves look smooth at 3 Hz and the page stays responsive
    // with several runs streaming (plotly's redraw dominates main-thread time).
    const wait = Math.max(0, lastDraw.current + MIN_REDRAW_MS - performance.now());
    frame.current = window.setTimeout(() => requestAnimationFrame(() => {
      frame.current = null;
      lastDraw.current = performance.now();
      const el = ref.current;
      if (!el) return;
      const { data, layout } = buildRef.current();
      const big = presentation;
      const wrapped = wrapTitle(titleRef.current, Math.max(30, Math.floor((el.clientWidth || 600) / (big ? 15 : 8))));
      void Plotly.react(
        el,
        big ? data.map((t) => ({ ...(t as object), line: { ...((t as { line?: object }).line ?? {}), width: 5 } })) : data,
        {
          title: { text: wrapped.text, font: { size: big ? 24 : 14 } },
          font: { size: big ? 20 : 12 },
          margin: { l: big ? 80 : 60, r: 20, t: (big ? 34 : 20) * wrapped.lines + 16, b: big ? 190 : 130 },
          height: (big ? height * 1.4 : height) + 40,
          legend: { orientation: 'h', y: big ? -0.4 : -0.32, yanchor: 'top' },
          uirevision: id,
          ...layout,
        },
        { displaylogo: false, responsive: true, staticPlot, modeBarButtonsToRemove: ['lasso2d', 'select2d'] },
      );
    }), wait);
  }, [revision, presentation, title, height, id, staticPlot]);

  // (i): the plot's paragraph from the method pages (docs/methods/*.md, "{{plot:<id>}}"), in the lazy about view.
  return (
    <div className="plot-wrap">
      <button className="plot-info" onClick={() => setPlotInfo(id)} aria-label={`About the plot: ${title}`} title="What this plot shows" data-testid={`plot-info-${id}`}>i</button>
      <div className="plot" data-plot={id} ref={ref} />
      {touch && (
        <button className="plot-zoom" aria-pressed={touchZoom} onClick={() => setTouchZoom(!touchZoom)} data-testid={`plot-zoom-${id}`}>
          {touchZoom ? 'Done' : 'Zoom'}
        </button>
      )}
    </div>
  );
}

