import type { PytorchExport } from '../pytorchExport';
import source from './pytorch.py?raw';

/** Monotone-VI training in the PyTorch export (crossCheck.test.ts: 50 steps within 1e-4). */
export const pytorch: PytorchExport = { source, algorithms: { vi: { steps: 50, tolerance: 1e-4 } } };
