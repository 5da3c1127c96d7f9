import type { Diagnostic, LayerDiagnostic } from '../engine/diagnostics';
import type { XAxis } from '../engine/experiment';
import type { MetricPoint } from '../engine/types';

/**
 * How a method describes its diagnostics to the shared UI, as data: the UI (src/ui/plots/MethodPanels.tsx,
 * RunCards.tsx, LiftedActivationsPanel.tsx) draws whatever the methods of a comparison declare and knows no
 * method by name. Plain types and pure functions only: no React, no tensors, no worker.
 */

/**
 * One line of a panel: a diagnostic the method declares (engine/diagnostics.ts, its <name>.diagnostics.ts), or a
 * function of the point (which reads declared diagnostics too, e.g. −gᵀd from CG_DIAGNOSTICS.dirDeriv).
 */
export interface SeriesSpec {
  source: Diagnostic | ((p: MetricPoint) => number | undefined);
  /** Legend suffix, e.g. "‖F‖". */
  name: string;
  dash?: string;
  mode?: 'lines' | 'markers';
}

/** −v where a value is reported (a descent check plots −gᵀd on a log axis). */
export const negated = (v: number | undefined): number | undefined => (v === undefined ? undefined : -v);

/** What a custom panel's figure is built from: the runs of the comparison as the shared UI shows them. */
export interface PanelContext {
  runs: { label: string; color: string; hidden: boolean; points: MetricPoint[] }[];
  xAxis: XAxis;
}

/**
 * A panel's heading: plain words, then the quantity as TeX (rendered with KaTeX above the chart), then a
 * plain-language line on what to read off it. Titles hold no notation of their own (a unit test checks).
 */
export interface PanelHeading {
  id: string;
  title: string;
  formula?: string;
  subtitle?: string;
}

export type PanelSpec =
  /** Method series against the chosen x axis: colour = run, dash = series. */
  | (PanelHeading & {
      kind: 'series';
      yTitle: string;
      series: SeriesSpec[];
      logY?: boolean;
      zeroLine?: boolean;
      height?: number;
      /** Hidden once data flows if no run emits any of the (named) series. */
      hideWhenAbsent?: boolean;
      /** Extra plotly shapes (e.g. event lines) from every run's points; `x` is a point's position on the x axis. */
      shapes?: (points: MetricPoint[][], x: (p: MetricPoint) => number) => unknown[];
    })
  /** One line per layer (dash) and run (colour) of a per-layer diagnostic (`layer<l>.<metric>` in `extra`). */
  | (PanelHeading & {
      kind: 'perLayer';
      yTitle: string;
      metric: LayerDiagnostic;
      logY?: boolean;
      extraSeries?: SeriesSpec[];
      /** Not drawn at all until some run emits the metric. */
      onlyWhenPresent?: boolean;
    })
  /** A figure of its own (plotly data and layout), rebuilt when the runs change. */
  | (PanelHeading & {
      kind: 'custom';
      height?: number;
      build: (ctx: PanelContext) => { data: unknown[]; layout: Record<string, unknown> };
    });

/** A method that keeps lifted activations the worker can show per hidden unit (Algorithm.liftedView). */
export interface LiftedViewCapability {
  /** What the lifted value is compared with, short: "ReLU(z)". */
  reluOfLiftedShort: string;
  /** What the right plot's y axis is, for the text under the panel. */
  reluOfLiftedLong: string;
  /** A note for hidden layer 1, if the method's first layer is special. */
  firstLayerNote?: string;
  /** When a run of this method keeps no lifted activations, why (shown instead of the picture). */
  unavailableWhen?: string;
  /** A diagnostic whose latest value is shown beside the RMS, and its label (e.g. a tube width ε). */
  tolerance?: { diagnostic: Diagnostic; label: string };
}

/** The run card's status line for a method with phases, from the run's points; null when there is nothing to say. */
export type RunStatusText = (points: MetricPoint[]) => string | null;
