import type { PanelSpec } from '../panel';

/** CG's own iteration (cg.ts, keys from the network CG step): step size, β, line-search cost, descent check. */
export const CG_INTERNALS_PANEL: PanelSpec = {
  kind: 'series', id: 'cg-internals', title: 'CG internals', formula: String.raw`\alpha,\ \beta,\ -g^\top d`, subtitle: 'step length, conjugacy coefficient, line-search evaluations; −gᵀd must stay above 0 (a descent direction)', yTitle: 'value (log)', logY: true, hideWhenAbsent: true,
  series: [
    { key: 'alpha', name: 'α' },
    { key: 'beta', name: 'β', dash: 'dot' },
    { key: 'lineSearchEvals', name: 'line-search evals', mode: 'markers' },
    { key: (p) => (p.extra.dirDeriv !== undefined ? -p.extra.dirDeriv : undefined), name: '−gᵀd', dash: 'dash' },
  ],
};
