import type { AlgorithmSpec, HyperSpec } from '../../engine/hyper';

/**
 * Plain-data spec of nonlinear conjugate gradient (algorithms.md §2). No tensor imports here: the UI and the URL
 * codec read it on the main thread. A method with a CG phase reuses CG_HYPER for it.
 */

export const COST_UNIT_CG = 'one full-batch loss + gradient evaluation; every line-search trial counts one (a CG mini-batch of size B counts B/N)';

export const CG_HYPER: HyperSpec[] = [
  {
    key: 'cgVariant',
    label: 'CG variant',
    kind: 'choice',
    default: 'pr+',
    options: [
      { value: 'pr+', label: 'Polak–Ribière+' },
      { value: 'fr', label: 'Fletcher–Reeves' },
    ],
    help: 'β = max(0, gₖ₊₁ᵀ(gₖ₊₁ − gₖ)/‖gₖ‖²) (PR+) or ‖gₖ₊₁‖²/‖gₖ‖² (FR).',
  },
  { key: 'nRestart', label: 'restart every', kind: 'int', default: 50, min: 1, max: 100000, help: 'Reset the direction to −g every this many iterations (besides the Powell and non-descent restarts).' },
  { key: 'c1', label: 'Wolfe c1', kind: 'number', default: 1e-4, min: 1e-8, max: 0.4, log: true, help: 'Sufficient decrease: f(θ + αd) ≤ f(θ) + c1·α·gᵀd.' },
  { key: 'c2', label: 'Wolfe c2', kind: 'number', default: 0.1, min: 1e-4, max: 0.99, log: true, help: 'Strong curvature: |∇f(θ + αd)ᵀd| ≤ c2·|gᵀd|. Must exceed c1; small values make the line search nearly exact.' },
  { key: 'maxLineSearchEvals', label: 'line-search evaluations', kind: 'int', default: 20, min: 2, max: 100, help: 'Budget of one line search; the best decreasing trial is taken when it runs out.' },
  { key: 'cgBatch', label: 'CG batch size', kind: 'int', default: 0, min: 0, max: 1000000, help: '0 = full batch (the notes: CG needs one consistent objective). A mini-batch is redrawn every iteration; the direction is kept while it is still a descent direction for the new batch.' },
  { key: 'probe', label: 'curvature probe', kind: 'boolean', default: false, help: 'Each iteration also measures the curvature along the new direction, dᵀ(∇L(θ+εd) − ∇L(θ))/(ε‖d‖²): positive in a convex region. Costs one extra evaluation.' },
];

const CG_VARIANT_NAMES: Record<string, string> = { 'pr+': 'Polak–Ribière+', fr: 'Fletcher–Reeves' };

/** "<what> (<variant>) with a strong-Wolfe line search on the <full-batch | mini-batch> loss", from a run's CG settings. */
export function describeCgPhase(h: Record<string, number | string | boolean>, what: string): string {
  const variant = CG_VARIANT_NAMES[String(h.cgVariant ?? 'pr+')] ?? String(h.cgVariant);
  const batch = typeof h.cgBatch === 'number' && h.cgBatch > 0 ? h.cgBatch : 0;
  const on = batch ? `a mini-batch loss of ${batch} samples, redrawn every iteration` : 'the full-batch loss';
  return `${what} (${variant}) with a strong-Wolfe line search on ${on}`;
}

export const CG_SPEC: AlgorithmSpec = {
  id: 'cg',
  docsPage: 'cg',
  label: 'Conjugate gradient',
  description: describeCgPhase({ cgVariant: 'pr+', cgBatch: 0 }, 'Nonlinear conjugate gradient') + ', from the first iteration.',
  describe: (h) => describeCgPhase(h, 'Nonlinear conjugate gradient') + ', from the first iteration.',
  costUnit: COST_UNIT_CG,
  hyper: CG_HYPER,
};
