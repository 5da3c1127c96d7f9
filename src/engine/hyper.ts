import type { Diagnostic } from './diagnostics';
import type { Hyper } from './types';

/**
 * What a method's hyperparameters are, as plain data: the schema every method folder declares in its
 * `<name>.hyper.ts` and that the UI, the URL codec and the presets read. No tensor imports here, so the main
 * thread stays light; the algorithms read their values once, at init, with hyperReader.
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
 * diagnostic `flag` (declared in the method's <name>.diagnostics.ts) is 1. Divergence is common to all methods and is not listed here (see
 * src/methods/events.ts). The method declares each event once, in its spec; the pause-event choices and the loss
 * plot's markers are both derived from that list.
 */
export interface MethodEvent {
  id: string;
  /** Short text for captions and markers, e.g. "swap → CG". */
  label: string;
  /** Absent for divergence only: that is the run's stop status, not a step's diagnostic (src/methods/events.ts). */
  flag?: Diagnostic;
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

/**
 * A run's hyperparameters read through its method's spec, the one place their defaults live: each value is the
 * run's own, or the spec's default where the run has none (a link validated by src/url always has them all; tests
 * and benchmarks may pass fewer). A key the spec does not declare, a kind other than declared, or a value the
 * declaration does not allow (not a finite number, not one of the choices) throws: nothing is replaced silently.
 * A method reads its hyperparameters once, in its `parse` (called at init), into a typed options object; nothing in
 * a step reads a setting by key.
 */
export interface HyperReader {
  number(key: string): number;
  /** An 'int' or 'number' hyperparameter, rounded (as the UI's integer fields are). */
  int(key: string): number;
  choice<T extends string>(key: string): T;
  flag(key: string): boolean;
}

export function hyperReader(spec: AlgorithmSpec, h: Hyper): HyperReader {
  const declared = <K extends HyperSpec['kind']>(key: string, kinds: K[]): Extract<HyperSpec, { kind: K }> => {
    const d = spec.hyper.find((p) => p.key === key);
    if (!d) throw new Error(`${spec.id} declares no hyperparameter "${key}"`);
    if (!kinds.includes(d.kind as K)) throw new Error(`${spec.id}: hyperparameter "${key}" is a ${d.kind}, not a ${kinds.join(' or ')}`);
    return d as Extract<HyperSpec, { kind: K }>;
  };
  const refuse = (key: string, v: unknown, what: string): never => {
    throw new Error(`${spec.id}: hyperparameter "${key}" must be ${what}, not ${JSON.stringify(v)}`);
  };
  const number = (key: string) => {
    const d = declared(key, ['number', 'int']);
    const v = h[key];
    if (v === undefined) return d.default;
    return typeof v === 'number' && Number.isFinite(v) ? v : refuse(key, v, 'a finite number');
  };
  return {
    number,
    int: (key) => Math.round(number(key)),
    choice<T extends string>(key: string) {
      const d = declared(key, ['choice']);
      const v = h[key];
      if (v === undefined) return d.default as T;
      return (typeof v === 'string' && d.options.some((o) => o.value === v) ? v : refuse(key, v, `one of ${d.options.map((o) => `"${o.value}"`).join(', ')}`)) as T;
    },
    flag(key) {
      const d = declared(key, ['boolean']);
      const v = h[key];
      if (v === undefined) return d.default;
      return typeof v === 'boolean' ? v : refuse(key, v, 'true or false');
    },
  };
}

/**
 * Adam's moment settings where a method uses Adam as its update rule without declaring them (monotone VI's 'adam'
 * rule); Adam's own spec declares the same values as its defaults.
 */
export const ADAM_MOMENT_DEFAULTS = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

export const lrHyper = (def: number, help = 'Step size γ.'): NumberHyper => ({ key: 'lr', label: 'learning rate', kind: 'number', default: def, min: 1e-6, max: 100, log: true, help });
