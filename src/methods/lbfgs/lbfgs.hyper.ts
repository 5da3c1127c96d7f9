import type { AlgorithmSpec } from '../../engine/hyper';

/** Plain-data spec of L-BFGS (no tensor imports: the UI and the URL codec read it on the main thread). */
export const LBFGS_SPEC: AlgorithmSpec = {
  id: 'lbfgs',
  label: 'L-BFGS',
  description:
    'Limited-memory BFGS: the direction −H·g comes from the last m steps and gradient changes (two-loop recursion), the step from the same strong-Wolfe line search as CG, on the full-batch loss. On a quadratic with exact line searches it takes the same steps as CG.',
  docsPage: 'lbfgs',
  costUnit: 'one full-batch loss + gradient evaluation; every line-search trial counts one (the batch size is ignored: full batch)',
  hyper: [
    { key: 'memory', label: 'memory m', kind: 'int', default: 10, min: 1, max: 100, help: 'Number of (step, gradient change) pairs kept for the inverse-Hessian estimate (3–20 is usual).' },
    { key: 'c1', label: 'Wolfe c1', kind: 'number', default: 1e-4, min: 1e-8, max: 0.4, log: true, help: 'Sufficient decrease: f(θ + αd) ≤ f(θ) + c1·α·gᵀd.' },
    { key: 'c2', label: 'Wolfe c2', kind: 'number', default: 0.9, min: 1e-4, max: 0.99, log: true, help: 'Strong curvature: |∇f(θ + αd)ᵀd| ≤ c2·|gᵀd|. 0.9 is the usual quasi-Newton choice; must exceed c1.' },
    { key: 'maxLineSearchEvals', label: 'line-search evaluations', kind: 'int', default: 20, min: 2, max: 100, help: 'Budget of one line search; the best decreasing trial is taken when it runs out.' },
  ],
};
