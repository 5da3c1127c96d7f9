import type { RunConfig } from '../engine/experiment';
import { defaultHyper, type AlgorithmSpec } from '../engine/hyper';
import type { MethodEntry } from './method';
import { sgd } from './sgd';
import { adam } from './adam';
import { mdlam } from './mdlam';
import { monotoneVi } from './monotoneVi';
import { fenchel } from './fenchel';
import { twoPhase } from './twoPhase';
import { cg } from './cg';

/**
 * The method folders, in menu order: one line per folder. This is the plain-data side (specs, presets) that the
 * UI, the URL codec and the gallery read; it imports no tensor code. The implementations are listed in
 * algorithms.ts (worker side). Adding a method: a folder src/methods/<name>/ and a line here (and in algorithms.ts).
 */
export const METHODS: MethodEntry[] = [
  sgd,
  adam,
  mdlam,
  monotoneVi,
  fenchel,
  twoPhase,
  cg,
];

/** Every algorithm the playground offers, in menu order. */
export const CATALOG: AlgorithmSpec[] = METHODS.flatMap((m) => m.specs);

export function findSpec(id: string): AlgorithmSpec | undefined {
  return CATALOG.find((s) => s.id === id);
}

export { defaultHyper };

/** The method folder that offers the algorithm `id`. */
export function methodOf(id: string): MethodEntry | undefined {
  return METHODS.find((m) => m.specs.some((s) => s.id === id));
}

/** A run of the algorithm `id` at its default hyperparameters (the first algorithm if the id is unknown). */
export function defaultRun(id: string): RunConfig {
  const spec = findSpec(id) ?? CATALOG[0];
  return { algorithm: spec.id, hyper: defaultHyper(spec) };
}

/** The run's own label, else its algorithm's. */
export function runLabel(run: RunConfig): string {
  return run.label || findSpec(run.algorithm)?.label || run.algorithm;
}
