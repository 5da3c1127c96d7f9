import { LAB_PROBLEMS, type LabProblemId } from './functions';

/**
 * The landscape lab's part of the Experiment (optional field `landscape`; plain data, no tf import).
 * Everything the lab shows is determined by this object, so a link reproduces the picture.
 */
export interface LabRun {
  /** A lab method id declared by a method folder (MethodEntry.lab; src/methods/registry.ts lists them). */
  method: string;
  /** Step size (GD, VI, Adam); unused by CG. */
  lr: number;
  /** Heavy-ball momentum (GD, VI); Adam uses beta1/beta2. */
  momentum: number;
  beta1: number;
  beta2: number;
  /** Adam → CG: Adam iterations before the swap to CG. */
  swapAt: number;
  /** CG's strong-Wolfe curvature constant c2 (notes §2: 0.1; near 0 makes the line search exact). */
  c2: number;
  /**
   * SGD emulation (GD, VI, Adam, Adam phase of Adam → CG): std σ of seeded Gaussian noise added to each gradient
   * (or field) component; 0 = exact full-batch directions. CG always uses the exact gradient.
   */
  noise: number;
}

export const LAB_FIELDS = ['none', 'gradient', 'vi', 'both'] as const;
export type LabField = (typeof LAB_FIELDS)[number];

export interface LabShow {
  /** Arrow field: −∇L, −F (GLM only) or both. */
  field: LabField;
  /** Shade regions where the Hessian's smallest eigenvalue is negative. */
  convexity: boolean;
  /** Draw the CG line-search trial points (faint). */
  trials: boolean;
  /** Contours of log10(L − L* + ε) rather than L. */
  logContours: boolean;
  /** Scrub mode: sliders recompute and redraw the whole trajectory as they move. */
  scrub: boolean;
}

export interface SliceConfig {
  /** Seed of the two random directions (the same plane for every run of the comparison). */
  seed: number;
  /** Grid points per axis (odd, so the centre is a grid point). */
  resolution: number;
  /** The plane spans [−span, span]² in units of the filter-normalised directions. */
  span: number;
  /** Training samples the slice loss is computed on (0 = the whole training set, as the run's own loss). */
  samples: number;
  /** Which run's final weights the plane goes through. */
  reference: number;
}

/** What the lab is about: optimisers on a 2-D test function, or a slice of the comparison's trained networks. */
export const LAB_FOCUSES = ['function', 'slice'] as const;
export type LabFocus = (typeof LAB_FOCUSES)[number];

export interface LandscapeConfig {
  /** The lab view replaces the training view while open. */
  open: boolean;
  /** Absent = 'function' (links written before the slice focus keep their exact form). */
  focus?: LabFocus;
  problem: LabProblemId;
  /** Condition number κ of the quadratic problem. */
  condition: number;
  start: [number, number];
  iterations: number;
  runs: LabRun[];
  show: LabShow;
  slice: SliceConfig;
}

export const LAB_MAX_RUNS = 6;

/** The knobs' shared defaults; a method's lab declaration adds its own (registry.ts defaultLabRun). */
export const LAB_RUN_BASE: Omit<LabRun, 'method'> = { lr: 0.1, momentum: 0.9, beta1: 0.9, beta2: 0.999, swapAt: 50, c2: 0.1, noise: 0 };

export function defaultLandscape(): LandscapeConfig {
  return {
    open: true,
    problem: 'rosenbrock',
    condition: 10,
    start: [-1.5, 2],
    iterations: 300,
    runs: [{ ...LAB_RUN_BASE, method: 'gd', lr: 0.001 }, { ...LAB_RUN_BASE, method: 'adam', lr: 0.05 }, { ...LAB_RUN_BASE, method: 'cg' }],
    show: { field: 'none', convexity: true, trials: true, logContours: true, scrub: false },
    slice: { seed: 1, resolution: 21, span: 1, samples: 0, reference: 0 },
  };
}

export { LAB_PROBLEMS };
