import type { Experiment } from '../engine/experiment';

/**
 * A method's part of the PyTorch export (src/export/pytorch/), declared in its folder's pytorch.ts: the Python that
 * reproduces it and, for each algorithm id that Python registers, how closely the cross-check holds the exported
 * script to the engine. The export assembles the script from its shared core plus every registered method's
 * fragment; a method without a pytorch.ts is announced as not exported (script.ts), never skipped quietly.
 */
export interface PytorchExport {
  /** The folder's pytorch.py (loaded with ?raw): defines the method's run function(s) and registers each id in METHODS. */
  source: string;
  /** Algorithm id → its cross-check (the ids `source` registers; script.test.ts checks the two agree). */
  algorithms: Record<string, CrossCheckSpec>;
  /**
   * Why the Python cannot reproduce this method on experiment `e` although the app trains it (null: it can). The script
   * refuses such a run with the same reason, and the export announces it like a method without a pytorch.ts.
   */
  notExportedFor?: (e: Experiment) => string | null;
}

/** How src/export/pytorch/crossCheck.test.ts compares the script's per-step loss with the engine's for one algorithm. */
export interface CrossCheckSpec {
  /** Steps compared (an experiment is cut to the fewest its runs ask for: a block sweep costs many gradient steps). */
  steps: number;
  /** Largest relative difference allowed between the engine's and the script's loss at any compared step. */
  tolerance: number;
  /**
   * Rounding that grows step by step (a line search turning last-bit differences into other trial points; an
   * ill-conditioned exact solve): the script also runs in float64 and the comparison covers the steps up to where its
   * float32 and float64 losses part by more than `partsAt` (the float32 horizon). `cpuBackend`: the engine runs on
   * TF.js's CPU backend, whose sums accumulate in float64, the least rounding TF.js offers.
   */
  float32Horizon?: { partsAt: number; cpuBackend: boolean };
  /** The engine may stop by CG's float32 stop rule (no decrease along d nor −g) where the script goes on. */
  float32StopRule?: boolean;
  /**
   * What changes for a network with convolution layers (the fields given replace the ones above). A convolution
   * has far more ReLU and max-pool kinks per sample than an MLP; one that a rounding difference flips changes the
   * gradient in a few entries, which a method may magnify (the method's pytorch.ts says why it needs this).
   */
  convolutional?: Partial<Omit<CrossCheckSpec, 'convolutional'>>;
}
