import type { PytorchExport } from '../pytorchExport';
import source from './pytorch.py?raw';

/**
 * Adam in the PyTorch export: the shared first-order loop (crossCheck.test.ts: 50 steps within 1e-4). On a
 * convolutional network, up to its float32 horizon: Adam's normalised step m/√v gives a weight whose gradient was
 * exactly zero (a dead unit) a full step of size lr as soon as a ReLU or max-pool kink flips under rounding. Measured
 * on LeNet-5 (256 MNIST images, batch 64): the script's own float32 and float64 losses part by 8e-6 at step 7 and
 * 1e-4 by step 20, 6e-3 at step 45, while the engine (WASM, float32) stays within 3e-7 of the script's float64
 * over all 50 steps (and SGD, same network, within 3e-7 of the float32 script). The comparison covers the steps
 * before the script's float32 and float64 part by 1e-5 (9 on LeNet-5/MNIST, all 50 on Fashion-MNIST).
 */
export const pytorch: PytorchExport = {
  source,
  algorithms: { adam: { steps: 50, tolerance: 1e-4, convolutional: { float32Horizon: { partsAt: 1e-5, cpuBackend: false } } } },
};
