import { lrHyper, type AlgorithmSpec } from '../../engine/hyper';

export const SGD_SPEC: AlgorithmSpec = {
  id: 'sgd',
  docsPage: 'sgd',
  label: 'SGD (momentum)',
  description: 'Stochastic gradient descent with heavy-ball momentum: v ← μv + ∇L, θ ← θ − γv.',
  // At μ = 0 there is no momentum: the run is plain SGD and must not read "heavy-ball".
  describe: (h) => (h.momentum === 0 ? 'Plain stochastic gradient descent (momentum μ = 0): θ ← θ − γ∇L on each mini-batch.' : SGD_SPEC.description),
  costUnit: 'one mini-batch gradient of size B counts B/N',
  hyper: [
    lrHyper(0.1),
    { key: 'momentum', label: 'momentum μ', kind: 'number', default: 0.9, min: 0, max: 0.999, help: 'Heavy-ball momentum; 0 gives plain SGD.' },
  ],
};
