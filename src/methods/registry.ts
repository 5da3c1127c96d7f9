import type { RunConfig } from '../engine/experiment';
import { LAB_RUN_BASE, type LabRun } from '../engine/landscape/config';
import type { LabFunction, Vec2 } from '../engine/landscape/functions';
import type { Trajectory } from '../engine/landscape/trajectories';
import type { LabMethodSpec } from './lab';
import { defaultHyper, type AlgorithmSpec } from '../engine/hyper';
import type { MethodEntry } from './method';
import { sgd } from './sgd';
import { adam } from './adam';
import { mdlam } from './mdlam';
import { monotoneVi } from './monotoneVi';
import { fenchel } from './fenchel';
import { twoPhase } from './twoPhase';
import { cg } from './cg';
import { lbfgs } from './lbfgs';

/**
 * The method folders, in menu order: one line per folder. This is the plain-data side (specs, presets, panels,
 * status text, capabilities) that the UI, the URL codec and the gallery read; it imports no tensor code and no
 * React. The implementations are listed in
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
  lbfgs,
];

/** Every algorithm the playground offers, in menu order. */
export const CATALOG: AlgorithmSpec[] = METHODS.flatMap((m) => m.specs);

export function findSpec(id: string): AlgorithmSpec | undefined {
  return CATALOG.find((s) => s.id === id);
}

/** The method folder that offers the algorithm `id`: its panels, status text and capabilities. */
export function methodOf(id: string): MethodEntry | undefined {
  return METHODS.find((m) => m.specs.some((s) => s.id === id));
}

export { defaultHyper };

/** A run of the algorithm `id` at its default hyperparameters (the first algorithm if the id is unknown). */
export function defaultRun(id: string): RunConfig {
  const spec = findSpec(id) ?? CATALOG[0];
  return { algorithm: spec.id, hyper: defaultHyper(spec) };
}

/** What the run does, in its own settings (the spec's `describe`, else its description); '' for an unknown algorithm. */
export function runDescription(run: RunConfig): string {
  const spec = findSpec(run.algorithm);
  if (!spec) return '';
  return spec.describe ? spec.describe({ ...defaultHyper(spec), ...run.hyper }) : spec.description;
}

/** The run's own label, else its algorithm's. */
export function runLabel(run: RunConfig): string {
  return run.label || findSpec(run.algorithm)?.label || run.algorithm;
}

/** The landscape lab's methods, in menu order (each method folder's `lab`). */
export const LAB_METHODS: LabMethodSpec[] = METHODS.flatMap((m) => m.lab ?? []);

export function labMethod(id: string): LabMethodSpec | undefined {
  return LAB_METHODS.find((m) => m.id === id);
}

/** A lab run of method `id` at the shared defaults plus the method's own. */
export function defaultLabRun(id: string): LabRun {
  return { ...LAB_RUN_BASE, ...labMethod(id)?.defaults, method: id };
}

/** The trajectory of one lab run (an unknown method id is refused by name: links are validated before this). */
export function runLabTrajectory(fn: LabFunction, start: Vec2, run: LabRun, iterations: number, stream = 0): Trajectory {
  const m = labMethod(run.method);
  if (!m) throw new Error(`unknown landscape-lab method "${run.method}"`);
  return m.trajectory(fn, start, run, iterations, stream);
}
