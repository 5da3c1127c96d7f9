import type { PytorchExport } from '../pytorchExport';
import source from './pytorch.py?raw';

/** Fenchel lifted BCD in the PyTorch export (crossCheck.test.ts: 10 sweeps within 1e-3). */
export const pytorch: PytorchExport = { source, algorithms: { fenchel: { steps: 10, tolerance: 1e-3 } } };
