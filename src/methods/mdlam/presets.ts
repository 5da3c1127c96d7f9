import { ADAM_SPEC } from '../adam/adam.hyper';
import { SGD_SPEC } from '../sgd/sgd.hyper';
import { defaultHyper } from '../../engine/hyper';
import { MDLAM_COUPLED_SPEC, MDLAM_SPEC } from './mdlam.hyper';
import type { Experiment, RunConfig } from '../../engine/experiment';
import { defaultExperiment } from '../defaultExperiment';
import type { Preset } from '../preset';
import { legacyInit, type InitConfig } from '../../engine/init';

/**
 * mDLAM presets (algorithms.md §3). mDLAM is always full batch and needs ReLU hidden units and a softmax
 * cross-entropy output; the baselines run full batch on the same network and the same initial weights.
 */

const mdlam = (accelerate: boolean, label: string): RunConfig => ({ algorithm: 'mdlam', hyper: { ...defaultHyper(MDLAM_SPEC), accelerate }, label });

/** The playground's coupled variant at its defaults (never the paper's method; issue 14). */
const coupled = (): RunConfig => ({ algorithm: 'mdlam-coupled', hyper: defaultHyper(MDLAM_COUPLED_SPEC), label: 'mDLAM + coupling (playground variant)' });

/**
 * The authors' own settings (algorithms.md §5, last paragraph): summed losses, ρ 1e-3, μ 0.05, ε from 100 halving to
 * 1e-3. Acceleration off: in their released script the extrapolation is a no-op (§3), so this is what it runs.
 */
export const MDLAM_PAPER_HYPER = { ...defaultHyper(MDLAM_SPEC), lossReduction: 'sum', rho: 1e-3, mu: 0.05, eps0: 100, epsMin: 1e-3, epsDecay: 0.5, accelerate: false };

/**
 * An mDLAM comparison: `sweeps` full-batch sweeps (every run on the whole training set) of a ReLU network with a
 * softmax cross-entropy output (what mDLAM is defined for) on `dataset`, loss per sweep on a log axis.
 */
function experiment(title: string, o: { dataset: Partial<Experiment['dataset']>; hidden: number[]; init: InitConfig; runs: RunConfig[] }): Experiment {
  const e = defaultExperiment();
  return {
    ...e,
    title,
    dataset: { kind: 'moons', seed: 1, noise: 0.1, trainSize: 500, testSize: 500, resolution: 28, classes: [], ...o.dataset },
    network: { hidden: o.hidden, activation: 'relu', outputLink: 'softmax', loss: 'ce', init: o.init },
    training: { batchSize: 0, maxIterations: 200, evalEvery: 5, seed: 1, backend: 'auto' },
    runs: o.runs,
    view: { ...e.view, xAxis: 'iteration', logY: true },
  };
}

/** Full-batch Adam beside mDLAM, from the same initial weights. */
const adam = (lr: number): RunConfig => ({ algorithm: 'adam', hyper: { ...defaultHyper(ADAM_SPEC), lr }, label: 'Adam (full batch)' });

/** The texts quote bench/results/mdlam.json (`npx tsx bench/mdlam.ts results`) through templates (presets/figures.ts). */
const M = 'mdlam';
const MNIST_TEXT =
  `A {{exp.layers}} ReLU network on {{exp.dataset.trainSize|int}} MNIST digits, full batch, from the same initial weights. mDLAM never ` +
  `back-propagates: watch its lifted objective F fall monotonically (markers only where ε changed), the per-layer ` +
  `residuals shrink, and compare its forward test accuracy with full-batch Adam and SGD, accelerated vs plain. ` +
  `Measured (bench/mdlam.ts, {{${M}.table.mnistSeedCount}} seed(s), {{${M}.table.mnistSweeps}} sweeps): test accuracy mDLAM faithful {{${M}.table.mnist.faithful.testAcc.mean}}, with the authors’ settings {{${M}.table.mnist.paper.testAcc.mean}}, ` +
  `the playground’s coupled variant {{${M}.table.mnist.variant.testAcc.mean}} (in {{${M}.table.mnist.variant.seconds.mean|sig2}} s; it is still rising, slowly), a linear softmax model {{${M}.table.mnist.linear.testAcc.mean}}, ` +
  `SGD {{${M}.table.mnist.sgd.testAcc.mean}} ({{${M}.table.mnist.sgd.testAccAtVariantTime.mean}} within the variant’s wall time), Adam {{${M}.table.mnist.adam.testAcc.mean}}. ` +
  `On this data no mDLAM variant measured so far beats the linear model.`;

/** bench/mdlam.ts `results` writes `table` (5 seeds) beside the per-preset figures; these texts quote the table. */
const T = `${M}.table`;
const MOONS_TEXT =
  `The paper’s method (faithful, accelerated, the notes’ hyperparameters) beside the playground’s own coupled variant and Adam, {{exp.layers}}, full batch. ` +
  `Watch the two freeze panels: in the faithful run the relative change of the hidden layers’ W per sweep falls with ε, and the lifted output ` +
  `drifts away from the network’s output — the lifted network fits the labels on its own while the forward network stays near a linear classifier. ` +
  `The variant adds a coupling term, γ times the mean squared gap between a layer’s activations a and ReLU(z), that lets a change of a layer’s activations pull its pre-activations and W along, and keeps ε fixed; ` +
  `F still never rises. Measured (bench/mdlam.ts, mean of {{${T}.seedCount}} seeds, {{${T}.sweeps}} sweeps): test accuracy faithful {{${T}.moons16.faithful.testAcc.mean}}, ` +
  `variant {{${T}.moons16.variant.testAcc.mean}}, Adam {{${T}.moons16.adam.testAcc.mean}}, a linear softmax model {{${T}.moons16.linear.testAcc.mean}}; ` +
  `with two hidden layers of a hundred: {{${T}.moons100.faithful.testAcc.mean}}, {{${T}.moons100.variant.testAcc.mean}}, {{${T}.moons100.adam.testAcc.mean}}, {{${T}.moons100.linear.testAcc.mean}}.`;

const PAPER_TEXT =
  `The authors’ own settings: summed losses, ρ {{exp.runs.0.hyper.rho}}, μ {{exp.runs.0.hyper.mu}}, ε from {{exp.runs.0.hyper.eps0}} halving to {{exp.runs.0.hyper.epsMin}}, ` +
  `weights and biases drawn from a zero-mean normal with standard deviation {{exp.network.init.sigma}}, {{exp.layers}}, {{exp.training.maxIterations}} full-batch sweeps, standardised two moons ` +
  `({{exp.dataset.trainSize|int}} / {{exp.dataset.testSize|int}} points, noise {{exp.dataset.noise}}); acceleration off, because in the released script the extrapolation does nothing. ` +
  `What the playground reaches under the same settings (bench/mdlam.ts, mean of {{${T}.seedCount}} seeds): {{${T}.paper100.paper.testAcc.mean}} ({{${T}.paper16.paper.testAcc.mean}} with sixteen), ` +
  `softmax regression {{${T}.paper100.linear.testAcc.mean}}, Adam {{${T}.paper100.adam.testAcc.mean}}, and the playground’s coupled variant on the same data and init {{${T}.paper100.variant.testAcc.mean}}. ` +
  `The hidden layers barely move (see the relative change of W): the method keeps neither the loss’s signal nor what the random init already offers.`;

const MDLAM_REFERENCE_TEXT =
  `The notes’ reference protocol: He weights with zero biases, two moons in the reference’s coordinates (noise {{exp.dataset.noise}}) standardised by the training split, {{exp.dataset.trainSize|int}} / {{exp.dataset.testSize|int}} points, {{exp.training.maxIterations}} sweeps. ` +
  `What differs from “mDLAM on two moons”: the init, the input scale and the number of points; the method and its hyperparameters are the same. What it changes (bench/mdlam.ts): F {{${M}.reference.accelerated.F}} accelerated vs {{${M}.reference.plain.F}} plain (on the playground’s moons, accelerated: {{${M}.moons.accelerated.F}}); ` +
  `forward test accuracy {{${M}.reference.accelerated.testAcc}} / {{${M}.reference.plain.testAcc}} against Adam {{${M}.reference.adam.testAcc}} and a linear softmax model {{${M}.reference.linear.testAcc}}. ` +
  `The method as it stands does not beat a linear model by much or at all here: the hidden layers freeze once ε is small (the notes’ diagnosis).`;

/** The notes' architecture (two hidden layers of 100, as in dlADMM's MNIST runs) on a browser-sized subset. */
export const MDLAM_MNIST: Preset = {
  id: 'mdlam-mnist',
  title: 'mDLAM vs SGD vs Adam on an MNIST subset',
  section: 'mdlam',
  lookFor: MNIST_TEXT,
  experiment: experiment('mDLAM vs SGD vs Adam on an MNIST subset', {
    dataset: { kind: 'mnist', noise: 0, trainSize: 2000, testSize: 1000 },
    hidden: [100, 100],
    init: legacyInit(1),
    runs: [
      mdlam(true, 'mDLAM accelerated'),
      mdlam(false, 'mDLAM plain'),
      coupled(),
      { algorithm: 'sgd', hyper: { ...defaultHyper(SGD_SPEC), lr: 0.1, momentum: 0.9 }, label: 'SGD (full batch)' },
      adam(0.001),
    ],
  }),
};

/**
 * The notes' hyperparameters (2-16-16-2, ρ = 1, μ = 1e-3, ε 1 → 1e-3 halving, 200 sweeps) on the playground's moons:
 * the faithful method, the playground's coupled variant and Adam (issue 14).
 */
export const MDLAM_MOONS: Preset = {
  id: 'mdlam-moons',
  title: 'mDLAM on two moons: faithful vs the playground’s variant',
  section: 'mdlam',
  lookFor: MOONS_TEXT,
  experiment: experiment('mDLAM on two moons: faithful vs the playground’s variant', {
    dataset: {},
    hidden: [16, 16],
    init: legacyInit(1),
    runs: [mdlam(true, 'mDLAM (faithful, accelerated)'), coupled(), adam(0.01)],
  }),
  steps: [
    { text: 'Two mDLAM runs, with and without the safeguarded extrapolation, and full-batch Adam, all on the whole training set. Press Run (Space).' },
    { show: 'mdlam-objective', text: 'The lifted objective F never rises while ε stays fixed; the grey lines mark sweeps where ε shrank — the only places F may rise.' },
    { show: 'res-activation', text: 'The activation gap follows ε down inside its tube. Now compare the test accuracy with Adam: a small lifted objective does not make a good forward network once the hidden layers freeze.' },
  ],
};

/**
 * algorithms.md §5, mDLAM row: two moons in the reference's own coordinates, 1,000 / 1,000 points, noise 0.1,
 * standardised (by the training split's statistics — the reference standardises each split by its own, which differs
 * by sampling noise only; its labels are drawn at random per point, ours alternate, half per moon); 2-16-16-2 ReLU,
 * softmax CE (mean); He weights, zero biases; full batch, ρ 1, μ 1e-3, ε 1 halving to 1e-3, 200 sweeps.
 */
export const MDLAM_REFERENCE: Preset = {
  id: 'mdlam-reference',
  title: 'mDLAM on two moons: reference protocol',
  section: 'mdlam',
  lookFor: MDLAM_REFERENCE_TEXT,
  experiment: experiment('mDLAM on two moons: reference protocol (He init, standardised)', {
    dataset: { trainSize: 1000, testSize: 1000, coordinates: 'native', standardize: true },
    hidden: [16, 16],
    init: { scheme: 'he-normal', gain: 1, sigma: 0.01, bias: 'zero', biasValue: 0 },
    runs: [mdlam(true, 'mDLAM accelerated'), mdlam(false, 'mDLAM plain'), adam(0.01)],
  }),
};

/**
 * The authors' released script's settings (algorithms.md §5, last paragraph; issue 14), run by the playground's own
 * implementation; every figure quoted comes from bench/mdlam.ts (the authors' script itself is not part of this
 * repository, so what it reaches is not quoted to users). Data: 500 / 500 two moons, noise 0.1, standardised.
 */
export const MDLAM_PAPER: Preset = {
  id: 'mdlam-paper',
  title: 'mDLAM on two moons: the authors’ settings',
  section: 'mdlam',
  lookFor: PAPER_TEXT,
  experiment: experiment('mDLAM on two moons: the authors’ settings (summed losses, N(0, 0.1²) init)', {
    dataset: { coordinates: 'native', standardize: true },
    hidden: [100, 100],
    init: { scheme: 'normal', gain: 1, sigma: 0.1, bias: 'scheme', biasValue: 0 },
    runs: [{ algorithm: 'mdlam', hyper: MDLAM_PAPER_HYPER, label: 'mDLAM, authors’ settings' }, coupled(), adam(0.01)],
  }),
};

export const MDLAM_PRESETS: Preset[] = [MDLAM_MOONS, MDLAM_PAPER, MDLAM_MNIST, MDLAM_REFERENCE];
