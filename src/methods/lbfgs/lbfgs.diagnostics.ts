import { declareDiagnostics } from '../../engine/diagnostics';

/**
 * What an L-BFGS step reports (lbfgsNetwork.ts), read by its panel: alpha (step length, 1 = the quasi-Newton step),
 * lineSearchEvals, dirDeriv (gᵀd of the direction), memoryUsed (pairs kept), restart and pairSkipped (flags).
 */
export const LBFGS_DIAGNOSTICS = declareDiagnostics(['alpha', 'lineSearchEvals', 'dirDeriv', 'memoryUsed', 'restart', 'pairSkipped']);
