import type { PytorchExport } from '../pytorchExport';
import source from './pytorch.py?raw';

/**
 * mDLAM and its coupled variant in the PyTorch export: 10 sweeps within 1e-3. The coupled variant solves each W block
 * exactly: a ridge system on ReLU activations whose Gram matrix is nearly singular for wide layers, so rounding grows
 * sweep by sweep (measured on mdlam-paper, 2 × 100: engine vs script 8e-8 after one sweep, 3.5e-4 after four, 1e-2
 * after ten, smoothly; the script's own float32 vs float64 1e-5 after four, 6e-4 after ten — TF.js's float32 sums
 * round differently from torch's, and the ill-conditioned solve amplifies either). It gets a float32 horizon like
 * CG's, drawn where the script's float32 and float64 part by a tenth of the tolerance (the engine's rounding is not
 * the script's).
 */
export const pytorch: PytorchExport = {
  source,
  algorithms: {
    mdlam: { steps: 10, tolerance: 1e-3 },
    'mdlam-coupled': { steps: 10, tolerance: 1e-3, float32Horizon: { partsAt: 1e-4, cpuBackend: false } },
  },
};
