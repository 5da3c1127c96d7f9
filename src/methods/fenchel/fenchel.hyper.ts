import type { AlgorithmSpec } from '../../engine/hyper';

/**
 * Fenchel lifted networks trained by block-coordinate descent (algorithms.md §4). Plain data, no tensor imports.
 * Defaults are the notes' playground defaults: λ = 1, c = 1, ρ = 1e-4, 20 inner steps, full batch, ρ_d = 0.
 */
export const FENCHEL_SPEC: AlgorithmSpec = {
  id: 'fenchel',
  docsPage: 'fenchel',
  label: 'Fenchel lifted (BCD)',
  description:
    'Lifts every hidden activation to a variable X ≥ 0 tied to its pre-activation U by the biconvex penalty ' +
    'B(U, X) = ½X² + ½U₊² − UX (zero exactly on the ReLU graph), then minimises the lifted objective by block-coordinate ' +
    'descent: activations last to first, weights first to last, each block a convex problem whose objective never rises. ' +
    'Compare the lifted objective (a lower bound) with the ordinary forward loss, and watch the per-layer mismatch shrink.',
  costUnit: 'one BCD sweep over all activation and weight blocks on the whole batch (mini-batch: B/N per sweep)',
  hyper: [
    { key: 'lambda', label: 'λ (penalty weight)', kind: 'number', default: 1, min: 1e-3, max: 1e3, log: true, help: 'Weight λ_l of the biconvex penalty B in every hidden layer (initial value when the schedule is on).' },
    { key: 'c', label: 'c (next-layer weight)', kind: 'number', default: 1, min: 0.1, max: 100, log: true, help: 'Weight of the next-layer term in the activation blocks (the output loss for the last hidden layer). 1 keeps every block an exact block of the lifted objective; the notes suggest 5–10 if the output loss stalls (their NumPy reference found c = 5 worse on two moons).' },
    { key: 'rho', label: 'ρ (ridge)', kind: 'number', default: 1e-4, min: 0, max: 1, help: 'Ridge ρ‖W‖² on every weight matrix.' },
    { key: 'rhoD', label: 'ρ_d hidden (proximal)', kind: 'number', default: 0, min: 0, max: 1000, help: 'Proximal weight ρ_d(‖W − W_prev‖² + ‖b − b_prev‖²) on hidden weight blocks. Full batch: 0 or small; mini-batch mode: the code uses 10.' },
    { key: 'rhoDOut', label: 'ρ_d output (proximal)', kind: 'number', default: 0, min: 0, max: 1000, help: 'Proximal weight on the output (logistic-regression) block. Mini-batch mode: the code uses 100.' },
    { key: 'innerSteps', label: 'inner steps per block', kind: 'int', default: 20, min: 1, max: 200, help: 'Projected-gradient (or FISTA) steps of size 1/Lip per block and sweep (notes: 10–30).' },
    {
      key: 'solver',
      label: 'block solver',
      kind: 'choice',
      default: 'pg',
      options: [
        { value: 'pg', label: 'projected gradient' },
        { value: 'fista', label: 'FISTA (monotone)' },
      ],
      help: 'Projected gradient with step 1/Lip (monotone by the descent lemma), or monotone FISTA (accelerated; a step that would raise the block objective is rejected).',
    },
    {
      key: 'lipschitz',
      label: 'step bound',
      kind: 'choice',
      default: 'spectral',
      // Links made before this option stepped with the Frobenius bound.
      absentMeans: 'frobenius',
      options: [
        { value: 'spectral', label: 'spectral norm (power iteration)' },
        { value: 'frobenius', label: 'Frobenius norm (cheap, shorter steps)' },
      ],
      help: 'Which squared matrix norm goes into each block’s Lipschitz constant, i.e. how long the 1/Lip steps are. The notes’ reference uses the spectral norm; the Frobenius norm is an upper bound of it, up to several times larger, so its steps are that much shorter.',
    },
    { key: 'lambdaSchedule', label: 'λ schedule', kind: 'boolean', default: false, help: 'Grow λ_k = λ_0·growth^k up to the cap, tightening the relaxation (a playground knob, not the paper’s default). The lifted objective may rise on the sweeps where λ grows; each block still never rises.' },
    { key: 'lambdaGrowth', label: 'λ growth per sweep', kind: 'number', default: 1.05, min: 1, max: 2, help: 'Factor of the λ schedule per BCD sweep.' },
    { key: 'lambdaCap', label: 'λ cap', kind: 'number', default: 100, min: 1e-3, max: 1e4, log: true, help: 'Largest λ the schedule reaches.' },
    { key: 'initBias', label: 'initial bias', kind: 'number', default: 0.1, min: -1, max: 1, help: 'Biases are set to this value at the start (the authors’ code uses 0.1 so that ReLUs start active); weights are the shared initial weights.' },
  ],
};

/** Why Fenchel refuses max pooling (algorithms.md §6): shown before a run starts and if one is started anyway. */
export const FENCHEL_MAX_POOL =
  'Fenchel lifted BCD keeps every block convex only through linear pooling: max pooling is not linear, so the activation blocks would not be convex. Use average pooling (LeNet-5\'s original subsampling)';
