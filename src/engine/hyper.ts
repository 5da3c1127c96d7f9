import type { Hyper } from './types';

/**
 * What a method's hyperparameters are, as plain data: the schema every method folder declares in its
 * `<name>.hyper.ts` and that the UI, the URL codec and the presets read. No tensor imports here, so the main
 * thread stays light; the algorithms read their values with num/str.
 */

export interface NumberHyper {
  key: string;
  label: string;
  kind: 'number' | 'int';
  default: number;
  min: number;
  max: number;
  /** Show a log-scale slider. */
  log?: boolean;
  help: string;
}
export interface ChoiceHyper {
  key: string;
  label: string;
  kind: 'choice';
  default: string;
  /**
   * What a link that lacks this key meant, when that differs from today's default (the option was added, or its
   * default changed, after links were shared): the validator fills the old value so old links keep their meaning.
   */
  absentMeans?: string;
  options: { value: string; label: string }[];
  help: string;
}
export interface BooleanHyper {
  key: string;
  label: string;
  kind: 'boolean';
  default: boolean;
  help: string;
}
export type HyperSpec = NumberHyper | ChoiceHyper | BooleanHyper;

/**
 * A moment in a method's run worth stopping for (the experiment's `pauseOn` names these ids): a step whose
 * metrics carry `extra[flag] === 1`. Divergence is common to all methods and is not listed here (see
 * src/methods/events.ts). The method declares each event once, in its spec; the pause-event choices and the loss
 * plot's markers are both derived from that list.
 */
export interface MethodEvent {
  id: string;
  /** Short text for captions and markers, e.g. "swap → CG". */
  label: string;
  flag: string;
  /**
   * The loss plot draws a labelled vertical line at every step that reaches it. For events that change the
   * method (a phase switch); left off for events that may happen every few steps (a lifted method's tolerance changing every sweep).
   */
  marksLossPlot?: boolean;
}

export interface AlgorithmSpec {
  id: string;
  label: string;
  /** One or two sentences for the UI: what the method does and what to look at (at its default settings). */
  description: string;
  /**
   * The description of one run, when what the method does depends on its settings (a baseline direction, a switched
   * off swap, plain SGD at momentum 0): the run's card must not claim what its settings turn off. Absent: `description`.
   */
  describe?: (hyper: Record<string, number | string | boolean>) => string;
  /** What one unit of the cost axis is for this method (shown in the UI next to the cost axis). */
  costUnit: string;
  hyper: HyperSpec[];
  /** Events a run of this method can be paused at (experiment.pauseOn) and, if marked so, the loss plot shows. */
  events?: MethodEvent[];
  /** Name of the method's page, src/methods/<folder>/<docsPage>.md, shown by the app's "About this method" view. */
  docsPage: string;
}

export function defaultHyper(spec: AlgorithmSpec): Record<string, number | string | boolean> {
  const h: Record<string, number | string | boolean> = {};
  for (const p of spec.hyper) h[p.key] = p.default;
  return h;
}

/** A numeric hyperparameter, or the fallback when it is missing or not a finite number. */
export function num(h: Hyper, key: string, fallback: number): number {
  const v = h[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** A choice hyperparameter, or the fallback when it is missing. */
export function str(h: Hyper, key: string, fallback: string): string {
  const v = h[key];
  return typeof v === 'string' ? v : fallback;
}

export const lrHyper = (def: number, help = 'Step size γ.'): NumberHyper => ({ key: 'lr', label: 'learning rate', kind: 'number', default: def, min: 1e-6, max: 100, log: true, help });
