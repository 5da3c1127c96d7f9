import { declareDiagnostics } from '../../engine/diagnostics';
import { CG_DIAGNOSTICS } from '../cg/cg.diagnostics';

/**
 * What a two-phase step reports (twoPhase.ts), read by its panels, its run-card status and its swap event: CG's
 * diagnostics (its steps after the swap are CG's; `phase` is 0 while Adam trains, 1 after the swap; epochLoss and
 * epochGradNorm are reported at every epoch's end in the Adam phase), and its own — epochGradNormSmoothed and
 * threshold (the swap detector's smoothed norm and ρ·g_max), swap (flag) with swapLoss, swapGradNorm and swapEpoch,
 * monitorEvals (full-batch evaluations for monitoring only, not counted as cost).
 */
export const TWO_PHASE_DIAGNOSTICS = declareDiagnostics(
  ['epochGradNormSmoothed', 'threshold', 'swap', 'swapLoss', 'swapGradNorm', 'swapEpoch', 'monitorEvals'],
  [],
  CG_DIAGNOSTICS,
);
