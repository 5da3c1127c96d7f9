import { ADAM_MOMENT_DEFAULTS, lrHyper, type AlgorithmSpec } from '../../engine/hyper';

export const ADAM_SPEC: AlgorithmSpec = {
  id: 'adam',
  docsPage: 'adam',
  label: 'Adam',
  description: 'Adam (Kingma & Ba): per-coordinate step sizes from running first and second moments of the gradient.',
  costUnit: 'one mini-batch gradient of size B counts B/N',
  hyper: [
    lrHyper(0.01),
    { key: 'beta1', label: 'β1', kind: 'number', default: ADAM_MOMENT_DEFAULTS.beta1, min: 0, max: 0.9999, help: 'Decay of the first-moment average.' },
    { key: 'beta2', label: 'β2', kind: 'number', default: ADAM_MOMENT_DEFAULTS.beta2, min: 0, max: 0.999999, help: 'Decay of the second-moment average.' },
    { key: 'eps', label: 'ε', kind: 'number', default: ADAM_MOMENT_DEFAULTS.eps, min: 1e-12, max: 1, log: true, help: 'Added to √v for stability.' },
  ],
};
