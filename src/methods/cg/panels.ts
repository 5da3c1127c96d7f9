import type { PanelSpec } from '../panel';

/** CG's own iteration (cg.ts, keys from the network CG step): step size, β, line-search cost, descent check. */
export const CG_INTERNALS_PANEL: PanelSpec = {
  kind: 'series', id: 'cg-internals', title: 'CG internals: step α, β, line-search evaluations, −gᵀd (must stay > 0)', yTitle: 'value (log)', logY: true, hideWhenAbsent: true,
  series: [
    { key: 'alpha', name: 'α' },
    { key: 'beta', name: 'β', dash: 'dot' },
    { key: 'lineSearchEvals', name: 'line-search evals', mode: 'markers' },
    { key: (p) => (p.extra.dirDeriv !== undefined ? -p.extra.dirDeriv : undefined), name: '−gᵀd', dash: 'dash' },
  ],
};
