/**
 * The algorithm catalogue as plain data: ids, labels, hyperparameter schemas (defaults, ranges, help) and
 * what one unit of the cost axis means. The UI, the URL codec and presets read this; it imports no tensor
 * code, so the main thread stays light. The implementations live in registry.ts (worker side).
 */

import { VI_SPEC } from './monotoneVi.spec';
import { MDLAM_SPEC } from './mdlam.spec';
import { FENCHEL_SPEC } from './fenchel.spec';
import { CG_SPEC, TWO_PHASE_SPEC } from './twoPhase.spec';

export interface NumberHyper {
  key: string;
  label: string;
  kind: 'number' | 'int';
  default: number;
  min: number;
  max: number;
  /** Show a log-scale slider. */
  log?: boolean;
  help: string;
}
export interface ChoiceHyper {
  key: string;
  label: string;
  kind: 'choice';
  default: string;
  /**
   * What a link that lacks this key meant, when that differs from today's default (the option was added, or its
   * default changed, after links were shared): the validator fills the old value so old links keep their meaning.
   */
  absentMeans?: string;
  options: { value: string; label: string }[];
  help: string;
}
export interface BooleanHyper {
  key: string;
  label: string;
  kind: 'boolean';
  default: boolean;
  help: string;
}
export type HyperSpec = NumberHyper | ChoiceHyper | BooleanHyper;

export type AlgorithmFamily = 'baseline' | 'two-phase' | 'monotone-vi' | 'mdlam' | 'fenchel';

export interface AlgorithmSpec {
  id: string;
  label: string;
  family: AlgorithmFamily;
  /** One or two sentences for the UI: what the method does and what to look at. */
  description: string;
  /** What one unit of the cost axis is for this method (shown in the UI next to the cost axis). */
  costUnit: string;
  hyper: HyperSpec[];
}

const lr = (def: number, help = 'Step size γ.'): NumberHyper => ({ key: 'lr', label: 'learning rate', kind: 'number', default: def, min: 1e-6, max: 100, log: true, help });

export const SGD_SPEC: AlgorithmSpec = {
  id: 'sgd',
  label: 'SGD (momentum)',
  family: 'baseline',
  description: 'Stochastic gradient descent with heavy-ball momentum: v ← μv + ∇L, θ ← θ − γv.',
  costUnit: 'one mini-batch gradient of size B counts B/N',
  hyper: [
    lr(0.1),
    { key: 'momentum', label: 'momentum μ', kind: 'number', default: 0.9, min: 0, max: 0.999, help: 'Heavy-ball momentum; 0 gives plain SGD.' },
  ],
};

export const ADAM_SPEC: AlgorithmSpec = {
  id: 'adam',
  label: 'Adam',
  family: 'baseline',
  description: 'Adam (Kingma & Ba): per-coordinate step sizes from running first and second moments of the gradient.',
  costUnit: 'one mini-batch gradient of size B counts B/N',
  hyper: [
    lr(0.01),
    { key: 'beta1', label: 'β1', kind: 'number', default: 0.9, min: 0, max: 0.9999, help: 'Decay of the first-moment average.' },
    { key: 'beta2', label: 'β2', kind: 'number', default: 0.999, min: 0, max: 0.999999, help: 'Decay of the second-moment average.' },
    { key: 'eps', label: 'ε', kind: 'number', default: 1e-8, min: 1e-12, max: 1, log: true, help: 'Added to √v for stability.' },
  ],
};

/** Every algorithm the playground offers, in menu order. Algorithm modules add their spec here. */
export const CATALOG: AlgorithmSpec[] = [SGD_SPEC, ADAM_SPEC, MDLAM_SPEC, VI_SPEC, FENCHEL_SPEC, TWO_PHASE_SPEC, CG_SPEC];

export function findSpec(id: string): AlgorithmSpec | undefined {
  return CATALOG.find((s) => s.id === id);
}

export function defaultHyper(spec: AlgorithmSpec): Record<string, number | string | boolean> {
  const h: Record<string, number | string | boolean> = {};
  for (const p of spec.hyper) h[p.key] = p.default;
  return h;
}
