import type { PytorchExport } from '../pytorchExport';
import source from './pytorch.py?raw';

/** Two-phase Adam → CG in the PyTorch export: its CG phase is compared as CG is (src/methods/cg/pytorch.ts). */
export const pytorch: PytorchExport = {
  source,
  algorithms: { twophase: { steps: 50, tolerance: 1e-4, float32Horizon: { partsAt: 1e-4, cpuBackend: true }, float32StopRule: true } },
};
