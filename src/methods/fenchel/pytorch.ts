import type { PytorchExport } from '../pytorchExport';
import source from './pytorch.py?raw';
import { networkLayout } from '../../engine/experiment';
import { hasConvolution } from '../../engine/layers';

/** The same words as pytorch.py's refusal (script.test.ts checks the script says it). */
export const FENCHEL_CONV_NOT_EXPORTED = 'the PyTorch export of Fenchel lifted BCD lifts dense layers only (the app also lifts convolution layers)';

/** Fenchel lifted BCD in the PyTorch export (crossCheck.test.ts: 10 sweeps within 1e-3). */
export const pytorch: PytorchExport = {
  source,
  algorithms: { fenchel: { steps: 10, tolerance: 1e-3 } },
  // The Python lifts dense layers only (its pytorch.py refuses convolutions with this reason); the app's blocks.ts
  // also lifts convolutions with average pooling.
  notExportedFor: (e) => (hasConvolution(networkLayout(e).stages) ? FENCHEL_CONV_NOT_EXPORTED : null),
};
