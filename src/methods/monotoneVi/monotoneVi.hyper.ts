import type { AlgorithmSpec } from '../../engine/hyper';
import { VI_DIAGNOSTICS } from './monotoneVi.diagnostics';

/**
 * Monotone VI training (algorithms.md §1) as plain data: the hyperparameter schema and a function naming a run
 * by its scope and update rule (§1 "Update rule": every run labelled VI must show which rule it uses).
 */

export const VI_RULES = [
  { value: 'constant', label: 'constant step (the theory’s rule)' },
  { value: 'decreasing', label: 'decreasing step γ0/(1+k/k0)' },
  { value: 'averaged', label: 'constant step + Polyak–Ruppert averaging' },
  { value: 'momentum', label: 'SGD-momentum' },
  { value: 'adam', label: 'Adam' },
] as const;
export type ViRule = (typeof VI_RULES)[number]['value'];

export const VI_SPEC: AlgorithmSpec = {
  id: 'vi',
  docsPage: 'monotoneVi',
  events: [{ id: 'warm-switch', label: 'VI → gradient', flag: VI_DIAGNOSTICS.warmSwitch, marksLossPlot: true }],
  label: 'Monotone VI',
  description: describeVi({ scope: 'full', direction: 'field', warmStart: 0 }),
  describe: describeVi,
  costUnit: 'one mini-batch field (forward + backward) of size B counts B/N; the diagnostic monotonicity check is not counted',
  hyper: [
    {
      key: 'scope', label: 'scope', kind: 'choice', default: 'full',
      options: [
        { value: 'single', label: 'single layer (GLM)' },
        { value: 'last', label: 'last layer (bottom frozen)' },
        { value: 'full', label: 'full network (heuristic)' },
      ],
      help: 'Single layer needs a network without hidden layers. Last layer freezes every layer below the output. Full network applies the field to every layer.',
    },
    {
      key: 'direction', label: 'direction', kind: 'choice', default: 'field',
      options: [
        { value: 'field', label: 'monotone field (VI)' },
        { value: 'gradient', label: 'loss gradient (baseline, same rule and diagnostics)' },
      ],
      help: 'The gradient option runs the same update rule on the ordinary gradient, for a like-for-like comparison.',
    },
    { key: 'rule', label: 'update rule', kind: 'choice', default: 'constant', options: VI_RULES.map((r) => ({ value: r.value, label: r.label })), help: 'How the field is consumed; θ ← θ − γF is the rule the theory covers.' },
    {
      key: 'lr', label: 'step γ (0 = auto)', kind: 'number', default: 0, min: 0, max: 100,
      help: '0 derives the step from the data: 2/L̂_F with L̂_F = λ_max([H,1]ᵀ[H,1]/N)·max φ′ (single and last layer; ×(1−μ) for momentum); 0.15 for the full network; 0.01 for Adam. The value used is plotted as stepUsed.',
    },
    { key: 'k0', label: 'k0 (decreasing step)', kind: 'int', default: 100, min: 1, max: 1_000_000, help: 'γ_k = γ0/(1 + k/k0).' },
    { key: 'momentum', label: 'momentum μ', kind: 'number', default: 0.9, min: 0, max: 0.999, help: 'Heavy-ball momentum of the SGD-momentum rule.' },
    { key: 'hiddenDivBatch', label: 'hidden field ÷ batch', kind: 'boolean', default: false, help: 'Full network only: divide each hidden layer’s field by the batch size, as the authors’ older implementation does.' },
    { key: 'warmStart', label: 'warm start: VI iterations (0 = off)', kind: 'int', default: 0, min: 0, max: 1_000_000, help: 'Follow the field for this many iterations, then the ordinary gradient with a fresh optimiser state.' },
    { key: 'monoEvery', label: 'monotonicity check every', kind: 'int', default: 1, min: 0, max: 10_000, help: 'Compute m_k = ⟨F(θ_k) − F(θ_{k−1}), θ_k − θ_{k−1}⟩ on the same batch every this many steps (0 = off; costs one extra field on mini-batches).' },
  ],
};

/**
 * What a VI run does, in its settings: the direction (the field, or the loss gradient of a baseline run), what the
 * theory guarantees at its scope, and a warm start. A baseline run must not read "follows the field" (issue 31).
 */
export function describeVi(h: Record<string, number | string | boolean>): string {
  const scope = String(h.scope ?? 'full');
  const warm = typeof h.warmStart === 'number' && h.warmStart > 0 ? h.warmStart : 0;
  if (h.direction === 'gradient') {
    const what = scope === 'single' ? 'a single layer (GLM)' : scope === 'last' ? 'the last layer (the layers below frozen)' : 'every layer of the network';
    return (
      `Baseline: follows the ordinary loss gradient, not the monotone field, on ${what}, with the same update rule and diagnostics as a VI run — ` +
      'the like-for-like comparison for the field. Its monotonicity check m_k can fall below zero where the loss is not convex; compare ‖θ−θ*‖ and m_k with the VI runs.'
    );
  }
  const field = 'Follows the monotone vector field F = Xᵀ(φ(XW+b) − Y)/N instead of the loss gradient (Xu, Cheng & Xie 2022); the link φ is the network’s output link. ';
  const guarantee =
    scope === 'single' ? 'On a single layer (a GLM) the field is monotone: the theory’s guarantee holds. '
    : scope === 'last' ? 'On the last layer, with the features below frozen, the field is monotone: the theory’s guarantee holds. '
    : 'For the whole network it is a heuristic (each layer’s own σ′ dropped); the guarantee covers a single layer or the last layer on frozen features. ';
  const warmText = warm ? `Warm start: the field for the first ${warm} iterations, then the ordinary loss gradient with a fresh optimiser state. ` : '';
  return field + guarantee + warmText + 'Watch ‖θ−θ*‖, the field–gradient cosine per layer and the monotonicity check m_k ≥ 0.';
}

const SCOPE_NAMES: Record<string, string> = { single: 'single layer', last: 'last layer', full: 'full network' };

/** A run name that states scope, direction and rule, e.g. "VI (last layer) · constant step γ=auto". */
export function describeViRun(h: Record<string, number | string | boolean>): string {
  const scope = SCOPE_NAMES[String(h.scope ?? 'full')] ?? String(h.scope);
  const lr = typeof h.lr === 'number' && h.lr > 0 ? String(h.lr) : 'auto';
  const rule = String(h.rule ?? 'constant');
  const ruleText =
    rule === 'constant' ? `constant step γ=${lr}`
    : rule === 'decreasing' ? `γ0/(1+k/${h.k0 ?? 100}), γ0=${lr}`
    : rule === 'averaged' ? `Polyak–Ruppert avg, γ=${lr}`
    : rule === 'momentum' ? `momentum ${h.momentum ?? 0.9}, γ=${lr}`
    : `Adam, γ=${lr}`;
  const who = h.direction === 'gradient' ? 'gradient' : 'VI';
  const div = h.hiddenDivBatch && h.scope === 'full' ? ', hidden ÷ batch' : '';
  const warm = typeof h.warmStart === 'number' && h.warmStart > 0 ? `, warm start ${h.warmStart} it.` : '';
  return `${who} (${scope}${div}) · ${ruleText}${warm}`;
}
