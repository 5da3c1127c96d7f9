// The cartesian partial bundle of plotly.js (scatter, heatmap, contour, bar): a third of the full bundle.
declare module 'plotly.js/dist/plotly-cartesian.min.js' {
  const Plotly: {
    react(el: HTMLElement, data: unknown[], layout: Record<string, unknown>, config?: Record<string, unknown>): Promise<void>;
    relayout(el: HTMLElement, update: Record<string, unknown>): Promise<void>;
    purge(el: HTMLElement): void;
    toImage(el: HTMLElement | { data: unknown[]; layout: Record<string, unknown> }, opts: { format: 'png' | 'svg'; width?: number; height?: number; scale?: number }): Promise<string>;
    Plots: { resize(el: HTMLElement): void };
  };
  export default Plotly;
}
