import { declareDiagnostics } from '../../engine/diagnostics';

/**
 * What a Fenchel lifted step reports (fenchel.ts), read by its panels: liftedObjective (J = liftedData + ridge),
 * liftedData, ridge, liftedCE, forwardLoss, liftedAtBlockOptimum, lambda, forwardLossAtSameWeights (full batch),
 * blockMaxRelChange and blockRose (flag: a block raised J, which it must not), liftedRose (flag: J rose across
 * sweeps where it must not); per layer: B (the mean Fenchel penalty), mismatch (‖X_{l+1} − ReLU(U_l)‖/√(nN)), and
 * actBlockDrop, weightBlockDrop (how much each block lowered J).
 */
export const FENCHEL_DIAGNOSTICS = declareDiagnostics(
  [
    'liftedObjective',
    'liftedData',
    'ridge',
    'liftedCE',
    'forwardLoss',
    'liftedAtBlockOptimum',
    'lambda',
    'forwardLossAtSameWeights',
    'blockMaxRelChange',
    'blockRose',
    'liftedRose',
  ],
  ['B', 'mismatch', 'actBlockDrop', 'weightBlockDrop'],
);
