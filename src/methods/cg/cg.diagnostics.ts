import { declareDiagnostics } from '../../engine/diagnostics';

/**
 * What a CG step reports (cgNetwork.ts), read by CG's panel (panels.ts) and by every method that runs CG's step
 * (two-phase training after its swap): phase (1: CG), epochLoss and epochGradNorm (the loss and gradient norm at the
 * new point), alpha (step length), beta (conjugacy coefficient), restart (flag) with restartReason (cg.ts RESTART),
 * lineSearchEvals, dirDeriv (gᵀd of the new direction), curvature (the probe's dᵀHd/‖d‖²), noDecrease (a
 * mini-batch on which the line search found no decrease).
 */
export const CG_DIAGNOSTICS = declareDiagnostics([
  'phase',
  'epochLoss',
  'epochGradNorm',
  'alpha',
  'beta',
  'restart',
  'restartReason',
  'lineSearchEvals',
  'dirDeriv',
  'curvature',
  'noDecrease',
]);
