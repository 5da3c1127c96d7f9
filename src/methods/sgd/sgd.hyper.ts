import { lrHyper, type AlgorithmSpec } from '../../engine/hyper';

export const SGD_SPEC: AlgorithmSpec = {
  id: 'sgd',
  docsPage: 'sgd',
  label: 'SGD (momentum)',
  description: 'Stochastic gradient descent with heavy-ball momentum: v ← μv + ∇L, θ ← θ − γv.',
  costUnit: 'one mini-batch gradient of size B counts B/N',
  hyper: [
    lrHyper(0.1),
    { key: 'momentum', label: 'momentum μ', kind: 'number', default: 0.9, min: 0, max: 0.999, help: 'Heavy-ball momentum; 0 gives plain SGD.' },
  ],
};
