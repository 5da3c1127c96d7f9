import type { Experiment } from '../engine/experiment';
import { defaultExperiment } from '../methods/defaultExperiment';
import { TWO_PHASE_SPEC } from '../methods/twoPhase/twoPhase.hyper';
import { defaultHyper, defaultRun } from '../methods/registry';
import type { Preset } from '../methods/preset';

/**
 * Comparison-protocol presets (src/sweeps): several seeds with bands, and a tuning sweep with equal budgets. Their
 * texts quote bench/results/protocol.json (`npx tsx bench/protocol.ts` runs every job of both presets as the app's
 * pool does and summarises them with the app's selectors).
 */
function moons(title: string): Experiment {
  const e = defaultExperiment();
  e.title = title;
  e.dataset = { ...e.dataset, kind: 'moons', noise: 0.1, trainSize: 200, testSize: 200 };
  e.network.hidden = [8];
  e.training = { ...e.training, batchSize: 32, maxIterations: 1000, evalEvery: 20 };
  e.view = { ...e.view, smoothing: 0 };
  return e;
}

const seedsAndBands = (): Experiment => {
  const e = moons('SGD vs Adam over 5 seeds');
  e.runs = [{ algorithm: 'sgd', hyper: { ...defaultRun('sgd').hyper, lr: 0.03 } }, defaultRun('adam')];
  e.protocol = { seeds: 5, target: { metric: 'testAccuracy', value: 0.95 } };
  return e;
};

const tuningRanking = (): Experiment => {
  const e = moons('Tuning changes the ranking: a learning-rate sweep with equal budgets');
  e.view = { ...e.view, xAxis: 'cost' };
  e.runs = [
    { algorithm: 'sgd', hyper: { ...defaultRun('sgd').hyper, lr: 0.01 }, label: 'SGD (γ = 0.01)' },
    { algorithm: 'adam', hyper: { ...defaultRun('adam').hyper, lr: 0.001 }, label: 'Adam (1e-3)' },
    { algorithm: 'twophase', hyper: { ...defaultHyper(TWO_PHASE_SPEC), lr: 0.001 }, label: 'Adam → CG (1e-3)' },
  ];
  e.protocol = {
    seeds: 3,
    target: { metric: 'trainLoss', value: 0.05 },
    // Every method gets the same 7 learning rates, seeds and cost budget per trial (40 cost units = 250 mini-batch
    // steps of 32 on 200 points, or 40 full-batch CG evaluations).
    sweep: { runs: [0, 1, 2], axes: [{ key: 'lr', min: 1e-4, max: 1 }], mode: 'grid', points: 7, trialCost: 40, seed: 1 },
  };
  return e;
};

export const PROTOCOL_PRESETS: Preset[] = [
  {
    id: 'seeds-bands',
    title: 'Seeds and bands: SGD vs Adam over 5 seeds',
    lookFor:
      'One seed is one draw. Press Run: beside the live curves of one seed, every run also trains over five seeds on the worker pool — five initialisations and batch orders on the same data split. ' +
      'The band plots under the curves show the median and the interquartile range as the seeds finish; the cards give the final figures as median [IQR] over the seeds, and the table the cost and seconds to reach the target test accuracy. ' +
      'Look at whether the bands overlap before reading a ranking off single curves. ' +
      'Measured (bench/protocol.ts, {{protocol.seeds.seeds}} seeds): final test accuracy SGD {{protocol.seeds.sgd.finalTestAcc.median}} [{{protocol.seeds.sgd.q1}}–{{protocol.seeds.sgd.q3}}], Adam {{protocol.seeds.adam.finalTestAcc.median}} [{{protocol.seeds.adam.q1}}–{{protocol.seeds.adam.q3}}]; ' +
      'the target accuracy {{protocol.seeds.target}} was reached by {{protocol.seeds.sgd.reached}} of the SGD seeds and {{protocol.seeds.adam.reached}} of the Adam seeds.',
    section: 'protocol',
    experiment: seedsAndBands(),
  },
  {
    id: 'tuning-ranking',
    title: 'Tuning changes the ranking (SGD, Adam, Adam → CG)',
    lookFor:
      'The three runs start at learning rates someone picked. Press "Run sweep": each method tries the same seven learning rates over three seeds with the same budget per trial, and the sensitivity plot shows the final training loss against the learning rate. ' +
      'Compare the ranking at the preset settings (the runs) with the ranking at each method\'s best setting (the minima of the lines), then "promote best" for each method and run the comparison again — the screen notes when only some runs were tuned. ' +
      'Measured (bench/protocol.ts, median final training loss over {{protocol.tuning.seeds}} seeds, {{protocol.tuning.trialCost}} cost units each): at the preset settings SGD {{protocol.tuning.sgd.atPreset|sig2}}, Adam {{protocol.tuning.adam.atPreset|sig2}}, Adam → CG {{protocol.tuning.twophase.atPreset|sig2}}; ' +
      'at each method’s best learning rate SGD {{protocol.tuning.sgd.atBest|sig2}} (at {{protocol.tuning.sgd.bestLr|sig2}}), Adam {{protocol.tuning.adam.atBest|sig2}} (at {{protocol.tuning.adam.bestLr|sig2}}), Adam → CG {{protocol.tuning.twophase.atBest|sig2}} (at {{protocol.tuning.twophase.bestLr|sig2}}). ' +
      'A best value at the end of the swept range means the range should be widened before trusting the ranking.',
    section: 'protocol',
    experiment: tuningRanking(),
  },
];
