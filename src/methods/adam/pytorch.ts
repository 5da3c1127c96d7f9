import type { PytorchExport } from '../pytorchExport';
import source from './pytorch.py?raw';

/** Adam in the PyTorch export: the shared first-order loop (crossCheck.test.ts: 50 steps within 1e-4). */
export const pytorch: PytorchExport = { source, algorithms: { adam: { steps: 50, tolerance: 1e-4 } } };
