import type { PytorchExport } from '../pytorchExport';
import source from './pytorch.py?raw';

/** SGD in the PyTorch export: the shared first-order loop (crossCheck.test.ts: 50 steps within 1e-4). */
export const pytorch: PytorchExport = { source, algorithms: { sgd: { steps: 50, tolerance: 1e-4 } } };
