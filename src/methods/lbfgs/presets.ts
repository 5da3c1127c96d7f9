import { defaultExperiment } from '../defaultExperiment';
import { defaultInit } from '../../engine/init';
import { defaultHyper } from '../../engine/hyper';
import type { Preset } from '../preset';
import { CG_SPEC } from '../cg/cg.hyper';
import { TWO_PHASE_SPEC } from '../twoPhase/twoPhase.hyper';
import { LBFGS_SPEC } from './lbfgs.hyper';

/**
 * L-BFGS beside the other line-search methods: CG from the start and Adam → CG, on two moons with a small tanh MLP,
 * full batch (L-BFGS and CG need one fixed objective; Adam's phase uses the same full batch, so its epoch is one
 * step). The x-axis is cost, where one loss+gradient evaluation counts one for all three. The text claims nothing
 * that was not measured: it says what to look at.
 */
export const LBFGS_PRESETS: Preset[] = [
  {
    id: 'lbfgs-moons',
    title: 'L-BFGS vs CG vs Adam → CG on two moons',
    lookFor:
      'All three use the same strong-Wolfe line search and are compared per loss+gradient evaluation (x-axis: cost). ' +
      'L-BFGS builds a curvature estimate from its last m steps, so its unit step is usually accepted after a few iterations: ' +
      'watch α settle at the unit step and the line-search evaluations drop to one in the L-BFGS internals plot, then compare the loss per evaluation with CG and with the two-phase run.',
    section: 'lbfgs',
    experiment: {
      ...defaultExperiment(),
      title: 'L-BFGS vs CG vs Adam → CG on two moons',
      dataset: { kind: 'moons', seed: 1, noise: 0.1, trainSize: 400, testSize: 200, resolution: 28, classes: [] },
      network: { hidden: [16, 16], activation: 'tanh', outputLink: 'softmax', loss: 'ce', init: defaultInit() },
      training: { batchSize: 0, maxIterations: 500, evalEvery: 10, seed: 1, backend: 'auto' },
      runs: [
        { algorithm: 'lbfgs', hyper: defaultHyper(LBFGS_SPEC), label: 'L-BFGS (m = 10)' },
        { algorithm: 'cg', hyper: defaultHyper(CG_SPEC), label: 'CG' },
        { algorithm: 'twophase', hyper: { ...defaultHyper(TWO_PHASE_SPEC), lr: 1e-2 }, label: 'Adam → CG' },
      ],
      view: { xAxis: 'cost', logY: true, smoothing: 0 },
    },
  },
];
