import { declareDiagnostics } from '../../engine/diagnostics';

/**
 * What a monotone-VI step reports (monotoneVi.ts), read by its panels, its run-card status and its warm-switch event:
 * phase (with a warm start: 0 while the field is followed, 1 after the switch to the gradient) and warmSwitch (flag),
 * stepUsed (γ_k), fieldNorm, gradNorm and cosine (between the field and the gradient) over the trained parameters
 * and per layer, mono and monoRatio (the monotonicity check m_k and m_k/‖Δθ‖²), thetaErr (to the planted θ*),
 * thetaHatErr and gap (to the field's empirical zero θ̂).
 */
export const VI_DIAGNOSTICS = declareDiagnostics(
  ['phase', 'warmSwitch', 'stepUsed', 'fieldNorm', 'gradNorm', 'cosine', 'mono', 'monoRatio', 'thetaErr', 'thetaHatErr', 'gap'],
  ['fieldNorm', 'gradNorm', 'cosine'],
);
