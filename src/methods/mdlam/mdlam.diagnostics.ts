import { declareDiagnostics } from '../../engine/diagnostics';

/**
 * What an mDLAM sweep reports (mdlam.ts, the paper's method and the coupled variant alike), read by its panels, its
 * lifted view and its events: objective (the lifted F) and objectiveRose (flag: F rose beyond float32 rounding),
 * eps (the ε-tube) and epsChanged (flag), rho and rhoChanged (flag; only with an increasing-ρ schedule),
 * extrapAccepted (share of extrapolated block updates the safeguard kept) and extrapRejected (flag: it discarded
 * one); per layer: linResidual, relChangeW (‖ΔW_l‖/‖W_l‖), forwardGap, theta (the W step's backtracking constant),
 * and for hidden layers actGap and tau.
 */
export const MDLAM_DIAGNOSTICS = declareDiagnostics(
  ['objective', 'objectiveRose', 'eps', 'epsChanged', 'rho', 'rhoChanged', 'extrapAccepted', 'extrapRejected'],
  ['linResidual', 'relChangeW', 'forwardGap', 'theta', 'actGap', 'tau'],
);
