import { defaultLandscape } from '../engine/landscape/config';
import { defaultLabRun } from '../methods/registry';
import type { Experiment } from '../engine/experiment';
import { defaultExperiment } from '../methods/defaultExperiment';
import { defaultRun } from '../methods/registry';
import type { Preset } from '../methods/preset';
import { defaultInit } from '../engine/init';

/** Landscape-lab presets: each opens the lab (landscape.open) on a 2-D problem, or on slices of an MNIST MLP. */
function lab(title: string, edit: (e: Experiment) => void): Experiment {
  const e = defaultExperiment();
  e.title = title;
  e.landscape = defaultLandscape();
  edit(e);
  return e;
}

export const LANDSCAPE_PRESETS: Preset[] = [
  {
    id: 'lab-cg-quadratic',
    title: 'Lab: CG on an ill-conditioned quadratic',
    lookFor:
      'A quadratic with condition number {{exp.landscape.condition}}. Plain gradient descent zig-zags down the valley (loss {{baselines.lab-cg-quadratic.run0.lossEnd|sig2}} after {{exp.landscape.iterations}} steps), with momentum {{exp.landscape.runs.1.momentum}} it gets to {{baselines.lab-cg-quadratic.run1.lossEnd|sig2}}; CG with its strong-Wolfe line search reaches the minimum in {{baselines.lab-cg-quadratic.run2.steps}} line searches ({{baselines.lab-cg-quadratic.run2.evaluations}} evaluations; the faint circles are the trial points). Scrub the step sizes and the condition number.',
    section: 'lab',
    experiment: lab('Lab: CG on an ill-conditioned quadratic', (e) => {
      const l = e.landscape!;
      l.problem = 'quadratic';
      l.condition = 50;
      l.start = [-2.5, 1.5];
      l.iterations = 100;
      l.runs = [{ ...defaultLabRun('gd'), lr: 0.5, momentum: 0 }, { ...defaultLabRun('gd'), lr: 0.5, momentum: 0.7 }, defaultLabRun('cg')];
      l.show = { ...l.show, field: 'gradient', convexity: false, scrub: true };
    }),
  },
  {
    id: 'lab-adam-cg-rosenbrock',
    title: 'Lab: Adam vs CG on Rosenbrock',
    lookFor:
      'The curved Rosenbrock valley (shaded where it is non-convex). Adam (step {{exp.landscape.runs.0.lr}}) reaches the valley quickly and is still at loss {{baselines.lab-adam-cg-rosenbrock.run0.lossEnd|sig2}} after {{exp.landscape.iterations}} steps; CG reaches the minimum in {{baselines.lab-adam-cg-rosenbrock.run1.steps}} line searches ({{baselines.lab-adam-cg-rosenbrock.run1.evaluations}} evaluations); Adam → CG swaps to CG after {{exp.landscape.runs.2.swapAt}} Adam steps (star) and finishes in {{baselines.lab-adam-cg-rosenbrock.run2.stepsAfterSwap}} more line searches. Drag the start point.',
    section: 'lab',
    experiment: lab('Lab: Adam vs CG on Rosenbrock', (e) => {
      const l = e.landscape!;
      l.problem = 'rosenbrock';
      l.start = [-1.5, 2];
      l.iterations = 300;
      l.runs = [{ ...defaultLabRun('adam'), lr: 0.05 }, defaultLabRun('cg'), { ...defaultLabRun('adamcg'), lr: 0.05, swapAt: 100 }];
      l.show = { ...l.show, field: 'none', convexity: true };
    }),
  },
  {
    id: 'lab-glm-field',
    title: 'Lab: gradient vs monotone field on a saturated GLM',
    lookFor:
      'A two-parameter GLM with a logistic link trained on squared loss, started where the sigmoid saturates. The squared loss is flat there and non-convex (shaded): gradient descent at step {{exp.landscape.runs.0.lr}} crawls ({{exp.landscape.iterations}} steps take it from ({{exp.landscape.start|list}}) to about ({{baselines.lab-glm-field.run0.endX|sig2}}, {{baselines.lab-glm-field.run0.endY|sig2}})), while the plain field step θ ← θ − γF at the same step reaches θ* (it ends at ({{baselines.lab-glm-field.run1.endX|sig2}}, {{baselines.lab-glm-field.run1.endY|sig2}})). Adam also gets there: its normalised steps do not feel the flatness. Arrows: −∇L (grey) and −F (green).',
    section: 'lab',
    experiment: lab('Lab: gradient vs monotone field on a saturated GLM', (e) => {
      const l = e.landscape!;
      l.problem = 'glm';
      l.start = [-6, 6];
      l.iterations = 200;
      l.runs = [{ ...defaultLabRun('gd'), lr: 2, momentum: 0 }, { ...defaultLabRun('vi'), lr: 2 }, { ...defaultLabRun('adam'), lr: 0.1 }];
      l.show = { ...l.show, field: 'both', convexity: true, logContours: false };
    }),
  },
  {
    id: 'lab-mnist-slice',
    title: 'Lab: loss-landscape slice of an MNIST MLP (SGD vs Adam)',
    lookFor:
      'Press “Train, then compute the slice”: SGD and Adam train on {{exp.dataset.trainSize|int}} MNIST digits (MLP {{exp.layers}}), then the lab computes the loss on a plane through Adam’s final weights spanned by two seeded, filter-normalised random directions; both trajectories are projected onto it. Random planes capture little of a trajectory: the panel prints how far each snapshot lies off the plane.',
    section: 'lab',
    experiment: lab('Lab: loss-landscape slice of an MNIST MLP', (e) => {
      e.dataset = { kind: 'mnist', seed: 1, noise: 0, trainSize: 2000, testSize: 500, resolution: 28, classes: [] };
      e.network = { hidden: [128, 128], activation: 'relu', outputLink: 'softmax', loss: 'ce', init: defaultInit() };
      e.training = { batchSize: 64, maxIterations: 300, evalEvery: 50, seed: 1, backend: 'auto' };
      e.runs = [defaultRun('sgd'), { algorithm: 'adam', hyper: { ...defaultRun('adam').hyper, lr: 0.001 } }];
      // The lab opens on the slice (not on a 2-D test function): one button trains the runs and computes it.
      e.landscape!.focus = 'slice';
      e.landscape!.slice = { seed: 1, resolution: 21, span: 1, samples: 0, reference: 1 };
    }),
  },
];
