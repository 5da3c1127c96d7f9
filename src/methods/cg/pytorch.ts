import type { PytorchExport } from '../pytorchExport';
import source from './pytorch.py?raw';

/**
 * CG in the PyTorch export. Its strong-Wolfe line search turns rounding differences into different trial points and
 * the difference grows step by step (measured on an MNIST preset with Glorot init: the engine on the CPU backend, the
 * script in float32 and in float64 part from each other by 1e-4 after 10–40 steps), so it is compared up to its float32 horizon.
 */
export const pytorch: PytorchExport = {
  source,
  algorithms: { cg: { steps: 50, tolerance: 1e-4, float32Horizon: { partsAt: 1e-4, cpuBackend: true }, float32StopRule: true } },
};
